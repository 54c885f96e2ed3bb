# Loops over enumerate() and zip() of lists, in compiled code: counts from a start, lists
# of other lengths and kinds, a list that grows while it is walked, a count or a product
# past 64 bits part way, and loops entered in the middle.

def weighted(xs):
    t = 0
    for i, x in enumerate(xs):
        t += i * x
    return t


def from_one(xs, k):
    best = -1
    for i, x in enumerate(xs, k):
        if x > best:
            best = x * 1000 + i
    return best


def dot(xs, ys):
    t = 0
    for x, y in zip(xs, ys):
        t += x * y
    return t


def flags(bs, ns):
    c = 0
    for b, n in zip(bs, ns):
        if b:
            c += n
    return c


def grows(n):
    xs = [1, 2]
    t = 0
    for i, x in enumerate(xs):
        if len(xs) < n:
            xs.append(x + i)
        t += x
    return t


def rows(grid):
    t = 0
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            t += (i + 1) * (j + 2) * v
    return t


def big_count(xs):
    t = 0
    for i, x in enumerate(xs, 2**62):
        t += i % 1000 + x
    return t


def products(xs, ys):
    p = 1
    for x, y in zip(xs, ys):
        p *= x + y
    return p % 1000000007


total = 0
for rep in range(200):
    xs = [rep % 7, 3, 1, 4, 1, 5, 9, 2, 6]
    total += weighted(xs) + from_one(xs, rep) + dot(xs, xs[1:]) + dot(xs, [2, 3])
    total += flags([True, False, rep % 2 == 0], xs) + grows(rep % 30) + rows([xs, xs[:3], []])
print(total)
print(weighted([True, False, True]), dot([1, 2, 3], []), dot([], [1]), flags([1, 0, 2], [5, 6, 7]))
print(big_count([1, 2, 3]), big_count(list(range(5000)))[:0] if False else big_count([5] * 4))
print(products(list(range(1, 60)), list(range(60, 1, -1))))
long = list(range(300000))
t = 0
for i, x in enumerate(long):
    t += i ^ x
for a, b in zip(long, long[1:]):
    t += b - a
print(t, weighted(long), dot(long, long))


def once(xs, ys, flags):
    t = 0
    for i, x in enumerate(xs, 5):
        t += (i * x) % 7
    for x, y in zip(xs, ys):
        t += x - y
    for f, x in zip(flags, xs):
        if f:
            t += x
    return t


print(once(long, long[3:], [x % 3 == 0 for x in long]))
print(once(long[:10], [True] * 4, [False] * 3))
