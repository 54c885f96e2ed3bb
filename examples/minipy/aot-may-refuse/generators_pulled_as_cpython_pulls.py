# enumerate, zip, map and `in` pull from a generator only as far as CPython's do: what the
# generators print interleaves with the loop's own output; the last one raises inside one.
def f(x):
    print("f", x)
    return x
for i, v in enumerate(f(x) for x in range(3)):
    print(i, v)
for a, b in zip((f(x) for x in range(2)), "ab"):
    print(a, b)
g = (f(x) for x in range(5))
print(2 in g)
print(next(g))
print(list(map(lambda t: t * 2, (f(x) for x in range(2)))))
g = (f(x) for x in range(4))
print(sorted(g))
g = (f(x) for x in range(4))
for x in reversed([1,2]):
    print(x)

def t(tag, x):
    print(tag, x)
    return x

a = (t("a", x) for x in range(5))
b = (t("b", x) for x in range(2))
for p, q in zip(a, b):
    print("pair", p, q)
print("next a", next(a))
print(list(zip([1], (t("c", x) for x in range(3)))))
print(list(zip([], (t("d", x) for x in range(3)))))
for i, v in enumerate((t("e", x) for x in range(3)), start=5):
    print(i, v)
print(dict(zip((t("k", x) for x in "xyz"), (t("v", x) for x in range(3)))))
print(list(zip(enumerate(t("n", x) for x in range(2)), "pq")))
print(list(map(lambda s, t: s + t, (t("m", x) for x in range(3)), (t("o", x) for x in range(2)))))
g = (t("g", x) for x in range(6))
print(3 not in g, 9 in g, 9 in g)
h = (t("h", x) for x in [[1], [2], (3,)])
print([2] in h, next(h))
print(sum(x for x, y in zip((t("s", i) for i in range(4)), range(3))))


# min and max with key= take each item and then its key, as CPython's loop does.
def key_of(x):
    print("key", x)
    return x % 3


print(min((print("min pulls", x) or x for x in [4, 5, 6]), key=key_of))
print(max((print("max pulls", x) or x for x in range(3)), key=key_of, default=None))
print(max((x for x in []), key=key_of, default="empty"), min(7, 8, key=key_of))


def bad(x):
    return 10 // x
try_it = (bad(x) for x in [2, 1, 0, 5])
for i, v in enumerate(try_it):
    print(i, v)

