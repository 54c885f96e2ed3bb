# list() of a generator expression, folded: the items appended to a new list.
def squares(n, k):
    return list(x * x % k for x in range(n) if x % 3)


def flags(xs, lim):
    return list(x > lim for x in xs)


def total(n):
    t = 0
    for i in range(n):
        ys = list(j * i for j in range(i))
        t += len(ys) + (ys[-1] if ys else 0)
    return t


print(squares(20, 7), flags([1, 5, 3], 2), total(30))
t = 0
for r in range(100):
    t += sum(squares(r, 11)) + len(flags([r, 2 * r], 50)) + total(r % 10)
print(t)
print(list(x for x in range(3000) if x % 1000 == 0), list(str(x) for x in range(3)))
