def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c
def highest_bit(n):
    b = -1
    while n:
        n >>= 1
        b += 1
    return b
for n in range(0, 200, 13):
    print(n, popcount(n), highest_bit(n), n & -n)
