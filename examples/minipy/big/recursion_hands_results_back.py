# Results past 64 bits handed back through recursive calls, and functions that overflow
# halfway through a loop and finish it with exact ints.
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


def power(base, exp):
    result = 1
    while exp > 0:
        if exp % 2 == 1:
            result = result * base
        base = base * base
        exp = exp // 2
    return result


def steps_to_one(x):
    steps = 0
    while x != 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


def negate(n):
    return -n


def triangle(n):
    total = 0
    for i in range(n):
        total = total + i * 1000000000000
    return total


print(factorial(20), factorial(21), factorial(30))
print(power(3, 100), power(-7, 41), power(2, 63), power(-2, 63))
print(steps_to_one(2 ** 80 + 1), steps_to_one(27))
print(negate(-9223372036854775807 - 1), negate(5))
print(triangle(10), triangle(5000000) % 1000003)
big = factorial(25)
print(big > factorial(24), big == factorial(25), big != 7, -big < 0, big // factorial(23))
print(abs(-big), abs(-9223372036854775807 - 1), min(big, 3), max(big, -big, 10))
