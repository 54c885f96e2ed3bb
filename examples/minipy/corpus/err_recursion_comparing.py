def f(n):
    if n > 994:
        print(n)
    x = max(n, 1)
    return f(n + 1)
f(0)
