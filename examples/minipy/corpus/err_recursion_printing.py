def f(n):
    if n > 994:
        print(n)
    return f(n + 1)
f(0)
