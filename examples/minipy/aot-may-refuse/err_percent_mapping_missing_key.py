row = {"name": "Ann"}
print("%(name)s" % row)
print("%(age)d" % row)
