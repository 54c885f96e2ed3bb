# An error deep in a call chain: a recursive walk, a function of seven parameters that
# keeps values alive across its calls, and two small functions.
def leaf(a, b):
    return a // b


def small(x):
    return leaf(x, x - 3)


def wide(a, b, c, d, e, f, g):
    keep = a * b + c
    other = d - e
    r = small(f + g - a)
    return keep + other + r + g


def walk(n):
    if n == 0:
        return wide(1, 2, 3, 4, 5, 2, 2)
    return walk(n - 1) + 1


total = 0
for i in range(3):
    total += i
print(total)
print(walk(1))
print(walk(5))
