row = {"name": "Ann", "age": 7, "tags": ["a", "b"], "a(b)": 1}
print("%(name)s is %(age)d (%(age)03d) %(tags)s %(name)r|%(name)-6s|%(a(b))s" % row)
print("%s" % {"k": 1}, "%s %(k)s" % {"k": 2}, "%%(k)s" % ())
