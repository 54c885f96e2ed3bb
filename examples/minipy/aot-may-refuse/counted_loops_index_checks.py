# Index loops over lists — `for j in range(a, b): xs[j]` — where the compiled loop asks
# once, before it starts, whether every index it will use is in range, and runs without
# a check per item when so. When not (a bound past the end, a start below zero, lists of
# different lengths), the loop must still fail at the very index CPython fails at, after
# the same items were written and printed.


def dot(xs, ys, n):
    t = 0
    for j in range(n):
        t += xs[j] * ys[j]
    return t


def add_into(dst, src, lo, hi):
    for j in range(lo, hi):
        dst[j] += src[j]
    return dst


def scale_rows(rows, k):
    for r in rows:
        for j in range(len(r)):
            r[j] = r[j] * k
    return rows


def prefix_sums(xs):
    out = [0] * len(xs)
    s = 0
    for j in range(len(xs)):
        s += xs[j]
        out[j] = s
    return out


def count_until(xs, n, stop):
    c = 0
    for j in range(n):
        if xs[j] == stop:
            break
        c += 1
    return c


def fill(n, m):
    out = [0] * n
    for j in range(m):
        out[j] = j * j
    return out


def mixed(xs, n):
    # xs may hold ints and strings: its items are values, not machine ints.
    t = 0
    for j in range(n):
        if xs[j] != "skip":
            t += xs[j]
    return t


a = list(range(1, 301))
b = [3 * x % 17 for x in range(300)]
for _ in range(40):
    d = dot(a, b, 300)
print("dot", d, dot(a, b, 0), dot(a, b, 1))
print("short", dot(a, b[:150], 150))

acc = [0] * 50
for k in range(60):
    add_into(acc, a, 0, 50)
    add_into(acc, b, 10, 20)
print("acc", sum(acc), acc[:5], acc[10:13])

rows = [[i + j for j in range(8)] for i in range(6)]
for _ in range(30):
    scale_rows(rows, 1)
print("rows", scale_rows(rows, 3)[5])

for _ in range(30):
    p = prefix_sums(b)
print("prefix", p[-1], p[:6])
print("empty prefix", prefix_sums([]))

for _ in range(40):
    c = count_until(a, 300, 77)
# A bound past the end that the loop never reaches: the checked version runs, and agrees.
print("count", c, count_until(a, 5, 77), count_until(a, 400, 77))

m = [1, 2, "skip", 4] * 20
for _ in range(40):
    t = mixed(m, 80)
print("mixed", t)

# A negative start reads from the end, in the interpreter's way and the compiled one's.
print("neg", add_into([0] * 5, [1, 2, 3, 4, 5], -3, 2))

for _ in range(40):
    f = fill(20, 20)
print("fill", f[-3:], fill(6, 3), fill(0, 0))

# Past the end: what comes before the failing index is done, then IndexError.
short = [0] * 10
print("before", dot(a, b, 250))
add_into(short, a, 0, 10)
print("short", short)
print(fill(10, 12))
