def f(x):
    if x:
        raise ValueError("bad") from None
    return 1
print(f(0))
