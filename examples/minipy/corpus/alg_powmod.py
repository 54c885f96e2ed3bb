def powmod(b, e, m):
    r = 1
    b %= m
    while e > 0:
        if e & 1:
            r = r * b % m
        b = b * b % m
        e >>= 1
    return r
print(powmod(2, 1000, 1000000007), powmod(3, 12345, 998244353), powmod(7, 0, 13))
