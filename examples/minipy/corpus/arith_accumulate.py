s = 0
p = 1
for i in range(1, 21):
    s += i * i
    p *= i
    if p > 1000000000000:
        p //= 1000
print(s, p)
s -= 100
s //= 7
s %= 50
s **= 2
s <<= 3
s >>= 1
s &= 1023
s |= 4096
s ^= 255
print(s)
