def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


count = 0
last = 0
twins = 0
for n in range(200):
    if is_prime(n):
        count += 1
        if last and n - last == 2:
            twins += 1
        last = n
print("primes below 200:", count, "twin pairs:", twins, "largest:", last)
