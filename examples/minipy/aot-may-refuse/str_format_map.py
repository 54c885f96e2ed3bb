# str.format_map: named fields from a dict, as CPython (positional fields a ValueError, a
# mapping that is no dict a TypeError only when a field asks it).
row = {"name": "Ann", "age": 31, "tags": ["a", "b"], 1: "one"}
print("{name} is {age}".format_map(row))
print("{name:>6}|{age:05d}|{tags[1]}|{tags!r}".format_map(row))
print("plain".format_map(5), "{{x}}".format_map({}))
for bad in ["'{0}'.format_map(row)", "'{}'.format_map({})", "'{x}'.format_map({})", "'{x}'.format_map(5)", "'{x}'.format_map()", "'{x}'.format_map(row, 2)", "'{tags[5]}'.format_map(row)", "'{1}'.format_map(row)", "'{name:{}}'.format_map(row)"]:
    pass
def t1():
    return "{0}".format_map(row)
def t2():
    return "{}".format_map({})
def t3():
    return "{x}".format_map({})
def t4():
    return "{x}".format_map(5)
def t5():
    return "{tags[5]}".format_map(row)
def t6():
    return "{name:{}}".format_map(row)
print(t4() if False else t1.__name__)
print(t3())
