def down(n):
    if n == 0:
        return up(4)
    return down(n - 1) * 2


def up(n):
    if n == 0:
        return 1 % (n - n)
    return 1 + up(n - 1)


print(down(2))
print(down(6))
