# Lists in compiled functions: made, read, written and iterated, with every way a
# speculation can fail (another kind, an index out of range, a list that is not its own).


def sieve(n):
    flags = [True] * n
    flags[0] = flags[1] = False
    i = 2
    while i * i < n:
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
        i += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


def squares(n):
    out = [0] * n
    for i in range(n):
        out[i] = i * i
    out[-1] = -out[-1]
    return out


def total(n):
    xs = squares(n)
    s = 0
    for x in xs:
        s += x
    return s + xs[-2] + xs[0]


def grid(n):
    row = [0] * n
    g = [row * 1, row * 2, [1, 2, 3] * n]
    g[0][n - 1] = 5
    g[1][0] = g[0][n - 1] + g[2][2]
    return g


def mixed(n):
    # An int list that gets a bool: the read after it finds another kind.
    xs = [1, 2, 3] * n
    xs[1] = True
    return xs[0] + xs[1]


def out_of_range(n):
    xs = [1] * n
    return xs[n]


def negative(n):
    xs = [5, 6, 7]
    return xs[-n]


def huge(n):
    return len([0] * n)


def stays(n):
    xs = [n, n + 1]
    for x in xs:
        if x > 10:
            xs[0] = x - 1
    return xs


def build(n):
    xs = [n, 2 * n, 3 * n]
    ys = [xs, xs]
    ys[0][0] = 99
    return ys


def big(n):
    xs = [2**62, 2**62]
    return xs[0] + xs[1] * n


for k in range(3):
    print(sieve(100 + k), squares(5 + k), total(10 * k + 3), grid(2 + k))
    print(mixed(k + 1), negative(k + 1), stays(k * 9), build(k), big(k))
print(big(3))
try_n = 0
for k in range(4):
    print(negative(k))
print(huge(-3), huge(0), huge(7))


# Lists passed in: read (their items' kinds checked as read), never written.
def matvec(m, v):
    out = [0] * len(m)
    for i in range(len(m)):
        row = m[i]
        s = 0
        for j in range(len(v)):
            s += row[j] * v[j]
        out[i] = s
    return out


def table(n):
    return [[i * j + k for j in range(n)] for i in range(k, n + k)]


def bump(xs):
    xs[0] += 1
    return xs


k = 2
m = table(3)
print(m, matvec(m, [1, 2, 3]), matvec(m, [True, False, 2]), matvec([[1], [None]] * 0, []))
print(matvec([[1, 2], [3, 4]], [5, 6]), bump([4, 5]), bump(bump([0])))
for t in range(3):
    print(matvec(table(t + 1), [t] * (t + 1)), table(t))
print(matvec([[1, 2], [3, None]], [1, 1]))
print(out_of_range(3))
