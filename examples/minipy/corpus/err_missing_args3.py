def f(a, b, c, d):
    return a
print(f(1))
