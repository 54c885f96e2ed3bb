# Lists of ints, which minipy keeps a machine int an item, behave as any list: read,
# written, grown, sliced, sorted, printed, and turned into lists of values when anything
# but a 64-bit int is stored in them — in functions the JIT compiles and in the
# interpreter.


def total_by_index(xs):
    t = 0
    for i in range(len(xs)):
        t += xs[i]
    return t


def total_by_item(xs):
    t = 0
    for x in xs:
        t += x
    return t


def bump_all(xs, by):
    for i in range(len(xs)):
        xs[i] += by
    return xs


def matmul(a, b, n):
    c = [[0] * n for _ in range(n)]
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for k in range(n):
            aik = ai[k]
            bk = b[k]
            for j in range(n):
                ci[j] += aik * bk[j]
    return c


def bump_then_mark(xs, i):
    xs[i] += 1
    first = xs[i]
    xs[i] = True
    return [first, xs[i], xs[-1]]


def from_the_end(xs, k):
    xs[-k] = xs[-k] * 10
    return xs[-1] + xs[-k]


def weighted(xs):
    t = 0
    for i in range(len(xs)):
        t += (i + 1) * xs[i]
    for x in xs:
        t -= x
    return t


def total_while(xs):
    t = 0
    i = 0
    while i < len(xs):
        t += xs[i]
        i += 1
    return t


def lengths(rows):
    t = 0
    for r in rows:
        t += len(r) * 10 + 1
    return t


def running_max(xs):
    best = xs[0]
    out = []
    for x in xs:
        if x > best:
            best = x
        out.append(best)
    return out


# Made packed: displays, repetition, comprehensions, appends to an empty list.
a = [3, 1, 2]
z = [0] * 5
sq = [i * i for i in range(6)]
grown = []
for i in range(4):
    grown.append(i - 2)
print(a, z, sq, grown, len(a), len(z))
print(a[0], a[-1], a[1:], a[::-1], sq[1:5:2], 2 in a, 7 in a, a.index(2), sq.count(4))
print(a + sq, a * 2, a == [3, 1, 2], a < [3, 2], sorted(a), list(reversed(a)))
print(sum(sq), min(sq), max(sq), sum(a, 100), sum([2**62, 2**62, 2**62]))

# Kept packed by what stores or appends an int; unpacked by anything else.
b = [10, 20, 30]
b[1] = -5
b.append(7)
print(b, b[-2])
b[0] = True
print(b, b[0] + 1)
c = [1, 2, 3]
c[2] = 2**70
print(c, c[2] - 1)
d = [1, 2, 3]
d.append("x")
print(d)
e = [4, 5, 6]
e[0] = None
e[0] = 4
print(e, e == [4, 5, 6])
f = [5, 3, 9, 1]
f.sort()
f.reverse()
print(f, f.pop(), f.pop(0), f)
g = [1, 2, 3, 4, 5]
g[1:3] = [20, 30, 40]
del g[0]
g.insert(0, -1)
g.extend([8, 9])
g.remove(40)
print(g, len(g))
h = [7] * 3
h *= 2
h += [1]
print(h, h.copy(), h[:], list(h))

# Compiled: lists of machine ints, lists of values that are ints, lists of bools.
packed = [1, 2, 3, 4]
values = [None, 2, 3, 4]
values[0] = 1
print(total_by_index(packed), total_by_index(values), total_by_index([True] * 3))
print(total_by_item(packed), total_by_item(values), total_by_item([True, False] * 3))
print(total_by_item([]), total_by_index([]), total_by_item([2**63 - 1, 1]))
print(bump_all([1, 2, 3], 5), bump_all(values, 1), bump_all([2**63 - 2, 0], 1))
print(bump_then_mark([4, 5, 6], 1), bump_then_mark([4, 5, 6], -1))
print(from_the_end([1, 2, 3], 2), from_the_end([1, 2, 3], 3), from_the_end([1, 2, 3], 1))
print(running_max([3, 1, 4, 1, 5, 9, 2, 6]))

n = 6
m1 = [[(i * j + 1) % 7 for j in range(n)] for i in range(n)]
m2 = [[(i + 2 * j) % 5 for j in range(n)] for i in range(n)]
for _ in range(3):
    p = matmul(m1, m2, n)
print(p[0], p[n - 1], sum(sum(row) for row in p))
# One row a list of values now, one holding a big int: the same answers as CPython's.
m2[1][0] = None
m2[1][0] = 1
m1[2][3] = 2**64
p = matmul(m1, m2, n)
print(p[2], sum(sum(row) for row in p))

# The methods that keep a list of ints one, each followed by a compiled read.
s = [5, 2, 8, 1, 9, 2]
s.sort()
print(s, weighted(s))
s.sort(reverse=True)
print(s, s.pop(), s.pop(0), s.pop(-2), s, weighted(s))
s.insert(-100, 7)
s.insert(100, -7)
s.insert(1, 0)
print(s, weighted(s))
s.reverse()
s.remove(False)
print(s, weighted(s))
e2 = []
e2.extend(range(4))
e2 += [10, 20]
e2.extend(x * x for x in range(3))
print(e2, weighted(e2), weighted(e2))
del e2[-1]
del e2[0]
print(e2, weighted(e2))
e2.insert(0, False)
e2.extend([None])
print(e2)
t = [3, 1, 2]
t.clear()
t.append(4)
print(t, weighted(t), [1, 2, 3].index(True), [0, 1, 1].count(True))

# len() in compiled code, of every kind of list.
vals = [None, 5, 6]
vals[0] = 4
flags3 = [True] * 3
print(total_while([1, 2, 3]), total_while(vals), total_while([]), total_while(list(range(50))))
print(lengths([[1, 2], vals, flags3, [], [[1]], [2**70]]), lengths([]))

# Slices assigned and deleted, with and without steps, then read by compiled code.
w = list(range(10))
w[2:5] = [20, 30]
w[::3] = [-1, -2, -3]
print(w, weighted(w))
del w[1:3]
del w[::2]
print(w, weighted(w))
w[1:1] = [7, 7, 7]
w[:] = w[::-1]
print(w, weighted(w))
w[0:2] = [True, 2**65]
print(w, weighted([1, 2, 3]))

# Copies and in-place repetition.
base = [3, 4]
cp = base.copy()
cp.append(5)
base *= 3
base *= 0
base += [9]
print(base, cp, weighted(cp), weighted(base))
