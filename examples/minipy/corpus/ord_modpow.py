def modpow(base, exp, mod):
    result = 1
    base %= mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        base = base * base % mod
        exp >>= 1
    return result


print(modpow(2, 100, 1000000007), modpow(3, 0, 7), modpow(10, 18, 97))
