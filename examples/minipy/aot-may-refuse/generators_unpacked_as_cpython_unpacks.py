# Unpacking a generator pulls one value more than its targets, as CPython's does: what it
# prints interleaves with the program's own output, and it stops there.
def f(x):
    print("f", x)
    return x
a, b = (f(x) for x in range(2))
print(a, b)
g = (f(x) for x in range(5))
try_ok = 0
def unpack3(gen):
    x, y, z = gen
    return x + y + z
print(unpack3(f(x) for x in range(3)))
h = (f(x) for x in range(6))
for p, q in [(1, 2)]:
    print(p, q)
(c, d), e = (f(x) for x in [(1, 2), 3])
print(c, d, e)
k = (f(x) for x in range(5))
print(next(k))
a, b = k
