def noisy(x):
    print("eval", x)
    return x

print(any(noisy(v) for v in [0, 0, 3, 4]))
print(all(noisy(v) for v in [1, 0, 3]))
print(noisy(0) or noisy("") or noisy([1]) or noisy(5))
print(noisy(1) and noisy(2) and noisy(0) and noisy(3))
print(1 < noisy(2) < 3, noisy(5) < noisy(3) < noisy(4))
g = (noisy(i) * 2 for i in range(3))
print("made")
print(next(g), list(g))
adders = [lambda x, k=k: x + k for k in range(3)]
print([f(10) for f in adders])
compose = lambda f, g: lambda x: f(g(x))
inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
def counter():
    n = 0
    def step():
        nonlocal n
        n += 1
        return n
    def peek():
        return n
    return step, peek
s, p = counter()
s(); s()
print(p(), s(), p())
total = 0
def add(x):
    global total
    total += x
    return total
print([add(i) for i in range(5)], total)
fact = 1
for i in range(1, 101):
    fact *= i
print(sum(int(d) for d in str(fact)), len(str(fact)), fact % 10**9, fact.bit_length())
a, b = 0, 1
for _ in range(500):
    a, b = b, a + b
print(a % 1000007, len(str(a)), str(a)[:20])
print(2**100 // 3**40, -(2**100) // 3**40, 2**100 % -(3**40), divmod(-(10**30), 7))
print("%s|%r|%5d|%-5s|" % ("a", "b", 42, "z"), "%(name)s is %(age)d" % {"name": "Ann", "age": 7})
print("{0}{1}{0}".format("ab", "-"), "{:>{w}}|{:^{w}}".format("x", "y", w=5), "{:0>8b}".format(37))
print(sorted([(1, "b"), (1, "a"), (0, "z")], key=lambda t: t[0]), sorted(["b", "A", "a", "B"]))
data = [{"n": "x", "v": 3}, {"n": "y", "v": 1}, {"n": "z", "v": 3}]
print([d["n"] for d in sorted(data, key=lambda d: d["v"], reverse=True)])
print(max(data, key=lambda d: d["v"])["n"], min(range(10), key=lambda i: (i - 4) ** 2))
