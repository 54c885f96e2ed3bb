def noisy(x):
    print("make", x)
    return x * 10

for y in (noisy(x) for x in range(3)):
    print("got", y)

g = (noisy(x) for x in range(6))
for y in g:
    if y >= 20:
        break
print("rest", list(g))
print(next(g, "done"))

def first_prime_after(n):
    def is_prime(k):
        if k < 2:
            return False
        d = 2
        while d * d <= k:
            if k % d == 0:
                return False
            d += 1
        return True
    return next(k for k in range(n + 1, 10 ** 15) if is_prime(k))

print(first_prime_after(1000), first_prime_after(10 ** 6))
print(any(x > 2 for x in range(10 ** 15)), all(x < 5 for x in range(10 ** 15)))
print(any(noisy(x) > 15 for x in range(5)))
print(all(noisy(x) < 15 for x in range(5)))
print(any(x for x in []), all(x for x in []))
print(sum(x for x in (y * y for y in range(10))))
g = (c for c in "hello")
print(next(g), next(g), "".join(g), list(g))
print(*(x * 2 for x in range(4)))
a, b, c = (x + 1 for x in range(3))
print(a, b, c)
print(sorted((x % 7 for x in range(20)), reverse=True))
print(max((x % 7 for x in range(20)), default=-1), min((x for x in []), default="empty"))
print(min((w for w in ["pear", "fig", "banana"]), key=len))
print(dict((k, k * k) for k in range(4)), set(x % 3 for x in range(10)), tuple(x for x in "ab"))
print(list(zip((x for x in range(3)), (y for y in "abc"))))
print(list(enumerate(x * x for x in range(4))))
g = (x for x in range(10))
print(5 in g, next(g), list(g))
print(type(g))
h = (x for x in range(3))
print(list(h), list(h), sum(h))
def outer(n):
    k = 3
    return sum(i * k for i in range(n) if i % 2 == 0)
print([outer(n) for n in range(8)])
total = 0
for n in range(300):
    total += sum(i * i for i in range(n))
print(total)
print(list(x for x in range(3) for _ in range(2)))
print(sum(x * y for x in range(4) for y in range(x)))
print([list(x * j for x in range(3)) for j in range(3)])
