# Factorials past 64 bits: digit sums and trailing zeros, computed the plain way.
def factorial(n):
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


def digit_sum(n):
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total


def trailing_zeros(n):
    zeros = 0
    while n % 10 == 0:
        zeros += 1
        n //= 10
    return zeros


def report(n):
    f = factorial(n)
    print(n, f, digit_sum(f), trailing_zeros(f))


report(20)
report(21)
report(25)
report(50)
report(100)
print(factorial(100) // factorial(98))
