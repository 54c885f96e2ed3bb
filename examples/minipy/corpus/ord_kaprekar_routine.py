def count_of(n, digit):
    c = 0
    for i in range(4):
        if n % 10 == digit:
            c += 1
        n //= 10
    return c


def ascending(n):
    """The four digits of n (leading zeros kept) in ascending order, as a number."""
    out = 0
    for digit in range(10):
        for i in range(count_of(n, digit)):
            out = out * 10 + digit
    return out


def descending(n):
    out = 0
    for digit in range(9, -1, -1):
        for i in range(count_of(n, digit)):
            out = out * 10 + digit
    return out


def kaprekar(start):
    n = start
    steps = 0
    while n != 6174 and n != 0 and steps < 8:
        n = descending(n) - ascending(n)
        steps += 1
    print(start, "reaches", n, "in", steps, "steps")


kaprekar(3524)
kaprekar(2111)
kaprekar(9831)
kaprekar(1000)
kaprekar(6174)
kaprekar(5555)
