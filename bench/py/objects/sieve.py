# Sieve of Eratosthenes to 10**7 on a list of bools.
def primes_below(n):
    sieve = [True] * n
    sieve[0] = sieve[1] = False
    i = 2
    while i * i < n:
        if sieve[i]:
            for j in range(i * i, n, i):
                sieve[j] = False
        i += 1
    count = 0
    for flag in sieve:
        if flag:
            count += 1
    return count


print(primes_below(10 ** 7))
