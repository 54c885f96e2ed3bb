def double(x):
    return 2 * x


def inc(x):
    return x + 1


def square(x):
    return x * x


def apply_twice_double(x):
    return double(double(x))


print(square(inc(double(3))), double(inc(square(3))), inc(square(double(3))))
total = 0
for n in range(10):
    total += apply_twice_double(inc(n)) - square(n)
print(total)
