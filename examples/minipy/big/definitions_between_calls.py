# A script's usual order: definitions, a call, more definitions, more calls. A function
# reads functions defined after the module's first call (and itself, recursing), so the
# module code runs as a function of its own — where ints can outgrow 64 bits.
def power_sum(n):
    return scaled(n) + tail(n)


def first(n):
    return n * 2 + 1


print(first(20))


def scaled(n):
    x = 1
    for i in range(n):
        x = x * 7
    return x


def tail(n):
    if n == 0:
        return 1
    return tail(n - 1) * 3


print(power_sum(10))
print(power_sum(45))
print(power_sum(90) % 1000000007)


def late_square(n):
    return n * n


print(late_square(power_sum(30)))
