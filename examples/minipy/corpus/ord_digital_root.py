def digit_sum(n):
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s


def digital_root(n):
    while n >= 10:
        n = digit_sum(n)
    return n


def steps_to_root(n):
    steps = 0
    while n >= 10:
        n = digit_sum(n)
        steps += 1
    return steps


def report(n):
    root = digital_root(n)
    shortcut = 1 + (n - 1) % 9 if n else 0
    print(n, "->", root, "in", steps_to_root(n), "steps; shortcut agrees:", root == shortcut)


report(0)
report(7)
report(38)
report(999)
report(123456789)
report(987654321987)
