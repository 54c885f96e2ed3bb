def factorize(n):
    factors = {}
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors[d] = factors.get(d, 0) + 1
            n //= d
        d += 1
    if n > 1:
        factors[n] = factors.get(n, 0) + 1
    return factors


def fmt(factors):
    parts = []
    for p in sorted(factors):
        e = factors[p]
        parts.append(str(p) if e == 1 else f"{p}^{e}")
    return " * ".join(parts)


def divisors(n):
    result = [1]
    for p, e in factorize(n).items():
        result = [d * p ** k for d in result for k in range(e + 1)]
    return sorted(result)


for n in [2, 12, 97, 360, 1001, 65536, 999999, 2**31 - 1, 600851475143]:
    print(f"{n} = {fmt(factorize(n))}")
print(divisors(360))
perfect = [n for n in range(2, 10000) if sum(divisors(n)) - n == n]
print("perfect:", perfect)
