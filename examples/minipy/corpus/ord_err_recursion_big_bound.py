LIMIT = 3000000000


def climb(n):
    if n < LIMIT:
        return climb(n + 1)
    return n


print(climb(LIMIT - 5))
print(climb(0))
