# pow() with two and three arguments, in functions the JIT compiles and at module level:
# modular exponentiation, inverses, the modulus's sign, results past 64 bits.
def modexp(b, e, m):
    return pow(b, e, m)


def inverse(a, m):
    return pow(a, -1, m)


def power(b, e):
    return pow(b, e)


def fermat_probable_prime(n):
    if n < 4:
        return n == 2 or n == 3
    a = 2
    while a < 8:
        if a % n != 0 and pow(a, n - 1, n) != 1:
            return False
        a += 1
    return True


total = 0
for i in range(1, 300):
    total += modexp(i, i * 7 + 1, 1000003) + power(i % 9, 5) + inverse(i * 2 + 1, 1009)
print(total)
count = 0
largest = 0
for n in range(2, 2000):
    if fermat_probable_prime(n):
        count += 1
        largest = n
print(count, largest)
print(modexp(3, 10**18, 10**9 + 7), modexp(-7, 3, 5), modexp(7, 3, -5), modexp(0, 0, 7))
print(inverse(3, -7), inverse(10**20 + 1, 10**9 + 9), inverse(5, 1), inverse(-3, 11))
print(power(3, 50), power(-2, 63), power(2, 64), power(True, 10))
print(pow(2, 100, 10**40 + 7), pow(10**30, 3, 10**25 + 13), pow(12345678901234567890, 2, 97))
print(modexp(2**70, 3, 2**65 + 1), power(7, 30) % 1000, modexp(5, -2, 13), modexp(5, -3, -13))
