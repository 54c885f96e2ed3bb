def ones(n):
    c = 0
    while n:
        c += n & 1
        n >>= 1
    return c


def bit_length(n):
    length = 0
    while n > 0:
        length += 1
        n = n >> 1
    return length


for n in range(0, 70, 9):
    print(n, ones(n), bit_length(n))
