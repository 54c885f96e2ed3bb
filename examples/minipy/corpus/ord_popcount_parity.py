def popcount(n):
    count = 0
    while n:
        n &= n - 1
        count += 1
    return count


def parity(n):
    p = 0
    while n:
        p ^= n & 1
        n >>= 1
    return p


n = 0
while n < 1 << 42:
    print(n, popcount(n), parity(n), popcount(n) % 2 == parity(n))
    n = n * 5 + 3
