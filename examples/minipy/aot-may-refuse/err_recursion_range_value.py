def f(n):
    range(0, 5)
    return f(n + 1)


f(0)
