big = 123456789012345678901234567890
mask = 0xFFFFFFFFFFFFFFFFFFFF
print(big, mask, 0b1 << 100, 0o777777777777777777777777)
print(big & mask, big | mask, big ^ mask, ~big, -big & 0xFF)
print(big >> 64, big << 10, -big >> 3, -1 >> 200, 1 >> 200)


def popcount(n):
    count = 0
    while n:
        count += n & 1
        n >>= 1
    return count


print(popcount(big), popcount(mask), popcount(2 ** 200 - 1))
print(big > mask, big == 123456789012345678901234567890, big != big + 1)
print(min(big, mask, 5), max(-big, -mask), big // -7, big % -7, -big // 7, -big % 7)
