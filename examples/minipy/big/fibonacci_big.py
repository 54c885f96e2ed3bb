def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def count_digits(n):
    digits = 1
    while n >= 10:
        n //= 10
        digits += 1
    return digits


print(fib(90), fib(93), fib(94))
f = fib(1000)
print(count_digits(f), f % 1000000007)
# The first Fibonacci number with 100 digits.
i = 1
while count_digits(fib(i)) < 100:
    i += 1
print("first with 100 digits: term", i)
print(fib(i))
