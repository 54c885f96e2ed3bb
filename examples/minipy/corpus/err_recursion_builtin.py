# The call of a builtin counts as one more level of recursion, as in CPython.
def f(n):
    x = abs(n) + max(n, 1)
    for i in range(1):
        x = x + i
    return f(n + 1)


f(0)
