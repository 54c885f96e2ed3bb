def primes_up_to(n):
    sieve = [True] * (n + 1)
    sieve[0] = sieve[1] = False
    i = 2
    while i * i <= n:
        if sieve[i]:
            for j in range(i * i, n + 1, i):
                sieve[j] = False
        i += 1
    return [i for i, is_prime in enumerate(sieve) if is_prime]


ps = primes_up_to(1000)
print(len(ps), ps[:10], ps[-3:])
print(sum(ps), max(ps), min(ps))
twins = [(p, q) for p, q in zip(ps, ps[1:]) if q - p == 2]
print(len(twins), twins[:5])
