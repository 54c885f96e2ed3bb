def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


primes = list(filter(is_prime, range(50)))
print(primes)
print("sum of squares:", sum(map(lambda x: x * x, primes)))
print("%d primes, largest %d" % (len(primes), primes[-1]))
print("{} and {}".format(primes[0], primes[1]))
