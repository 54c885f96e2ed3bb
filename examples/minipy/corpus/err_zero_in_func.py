def f(a, b):
    return a // b
print(f(4, 2))
print(f(1, 0))
