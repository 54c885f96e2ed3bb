def larger(a, b):
    if a > b:
        return a
    return b


print(larger(3, 9))
print(larger("ant", "bee"))
print(larger(10, "ten"))
