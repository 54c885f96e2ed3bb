name = "count"
print(name)
print(name + 1)
