def first_multiple(start, k):
    n = start
    while True:
        if n % k == 0:
            return n
        n += 1


def first_divisor(n):
    for d in range(2, n):
        if n % d == 0:
            return d
    return None


print(first_multiple(100, 7), first_multiple(1, 1), first_multiple(-10, 4))
print(first_divisor(91), first_divisor(97), first_divisor(2))
