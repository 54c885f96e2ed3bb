# Helpers that change the lists they are given, stopping part way through (big ints, bad
# indexes): every mode must go on from where they stopped, never start them again.

def bump_all(a, n):
    x = 1
    for i in range(n):
        a[i] += 1
        x = x * 3          # past 64 bits after 40 turns
    return x

a = [0] * 60
print(bump_all(a, 60), a[:3], a[38:42], sum(a))


def bump(a, i):
    a[i] += 1
    return a[i] * 1000000007 * 1000000007 * (i + 1)


def outer(a):
    t = 0
    for i in range(len(a)):
        t += bump(a, i)
    return t

b = [5] * 30
print(outer(b), b[:4], sum(b))


def record_sum(out, xs):
    t = 0
    k = 0
    for x in xs:
        t += x
        out[k] = t
        k += 1
    return t

xs = [1, 2, 3, 2**62, 2**62, 7, 8]
out = [0] * len(xs)
print(record_sum(out, xs), out)


def fill_until(a, n):
    for i in range(n):
        a[i] = i * i
    return -9223372036854775807 - 1

c = [0] * 10
print(fill_until(c, 10), c)


def count_into(hist, vals):
    for v in vals:
        hist[v % 5] += 1
    return None

h = [0] * 5
for rnd in range(30):
    count_into(h, [rnd, rnd * 3, rnd * 7])
print(h)


def squares(a, n):
    return [bump(a, i) for i in range(n)]

d = [0] * 8
print(squares(d, 8)[:2], d)


def deep(a, n):
    a[0] += 1
    if n == 0:
        return 0
    return deep(a, n - 1) + 1

e = [0]
print(deep(e, 500), e)


def grow(a, n):
    s = 0
    for i in range(n):
        a[i % len(a)] += i
        s += a[i % len(a)]
    return s

f = [1, 2, 3]
print(grow(f, 5000), f)
print(grow([2**40] * 4, 100000))
f2 = [0] * 4
print(grow(f2, 3), f2)
g = [1, 2]
print(grow(g, 5))
print(g)
g2 = [1] * 3
print(grow(g2, 7))
bump(g2, 5)
