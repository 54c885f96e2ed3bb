def noisy(x):
    print("f", x)
    return x * 2
for v in map(noisy, [1, 2, 3]):
    print("got", v)
def is_prime(k):
    if k < 2:
        return False
    d = 2
    while d * d <= k:
        if k % d == 0:
            return False
        d += 1
    return True
print(next(filter(is_prime, range(10**6, 10**12))))
print(list(map(lambda a, b: a * b, [1, 2, 3], (4, 5))), list(filter(None, [0, 1, "", "x"])))
m = map(str, range(3))
print(type(m), next(m), list(m), list(m))
print(type(filter(None, [])))
print(sum(map(int, "123")), "-".join(map(str, range(4))), sorted(filter(lambda v: v % 2, range(7)), reverse=True))
print(any(map(noisy, [0, 1, 2])))
