def sum_to(n):
    if n == 0:
        return 0
    return n + sum_to(n - 1)


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


print(sum_to(100), sum_to(500), fact(10), fact(20))
