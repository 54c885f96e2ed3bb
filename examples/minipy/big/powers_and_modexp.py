def power_mod(base, exp, mod):
    result = 1
    base %= mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        base = base * base % mod
        exp >>= 1
    return result


print(2 ** 64, 2 ** 100, -2 ** 63, (-2) ** 63, (-2) ** 64)
print(3 ** 200)
print(power_mod(2, 1000, 10 ** 30 + 57))
print(power_mod(7, 2 ** 70, 1000000007))
m = 2 ** 127 - 1
print(m, m % 1000, power_mod(3, m - 1, m))
print(9223372036854775807 + 1, -9223372036854775808 - 1, abs(-9223372036854775808))
print(-(-9223372036854775808), 9223372036854775807 * 9223372036854775807)
