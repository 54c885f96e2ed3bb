a = 12
b = 25
a = a ^ b
b = a ^ b
a = a ^ b
print(a, b)
print(12 & 25, 12 | 25, ~12, -12 >> 2, 1 << 20)
