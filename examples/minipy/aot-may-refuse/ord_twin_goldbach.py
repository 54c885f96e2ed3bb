# Sieve, twin primes and Goldbach pairs
def sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return [i for i, p in enumerate(is_p) if p]


primes = sieve(1000)
pset = set(primes)
twins = [(p, p + 2) for p in primes if p + 2 in pset]
print(len(primes), twins[:5], len(twins))
for even in range(4, 41, 6):
    pairs = [(p, even - p) for p in primes if p <= even // 2 and even - p in pset]
    print(even, pairs)
