def main():
    limit = 300000
    print("sieving up to", limit)
    is_p = [True] * (limit + 1)
    is_p[0] = is_p[1] = False
    i = 2
    while i * i <= limit:
        if is_p[i]:
            for j in range(i * i, limit + 1, i):
                is_p[j] = False
        i += 1
    primes = [k for k in range(limit + 1) if is_p[k]]
    print(len(primes), "primes; last", primes[-3:])
    gaps = {}
    best = 0
    for a, b in zip(primes, primes[1:]):
        g = b - a
        if g > best:
            best = g
    print("largest gap below", limit, "is", best)
    count = 0
    for p in primes:
        if p > 2 and is_p[p + 2] if p + 2 <= limit else False:
            count += 1
    print("twin primes:", count)
    s = 0
    for p in primes:
        s = (s + p * p) % 1000000007
    print("sum of squares mod 1e9+7:", s)


main()
