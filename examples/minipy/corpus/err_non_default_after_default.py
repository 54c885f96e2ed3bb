def f(a, b=2, c):
    return a + b + c


print(f(1, 2, 3))
