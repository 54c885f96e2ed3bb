# Functions whose loops are compiled and whose code after the loops is not (prints,
# strings, dicts): compiled code stops after the loops and the interpreter runs the rest of
# the call, with every local where the loops left it.
def summary(n):
    total = 0
    evens = 0
    for i in range(n):
        total += i * i % 97
        if i % 2 == 0:
            evens += 1
    print("n =", n, "total =", total, "evens =", evens)
    label = "big" if total > 1000 else "small"
    return label + ":" + str(total)


def scan(xs):
    best = xs[0]
    where = 0
    k = 0
    while k < len(xs):
        if xs[k] > best:
            best = xs[k]
            where = k
        k += 1
    else:
        print(f"best {best} at {where} of {len(xs)}")
    counts = {}
    for x in xs:
        counts[x % 5] = counts.get(x % 5, 0) + 1
    return sorted(counts.items())


def overflowing(n):
    acc = 1
    for i in range(1, n):
        acc = acc * 3 + i
    print("digits:", len(str(acc)))
    return acc % 1000003


def nothing_after(n):
    s = 0
    for i in range(n):
        s += i
    flag = None
    print(s, flag)


for n in [0, 1, 10, 100, 5000]:
    print(summary(n))
data = [(i * 7919) % 1009 for i in range(3000)]
print(scan(data))
print(scan([5]))
for n in [5, 30, 40, 41, 100]:
    print(overflowing(n))
nothing_after(10)
nothing_after(100000)
