# Deep, but one level short of the limit: builtins still run.
def down(n):
    if n == 0:
        return abs(-1)
    return down(n - 1) + 0


print(down(996))
