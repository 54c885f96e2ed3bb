a = {1, 2}
b = {2, 3}
print(a | b, a & b, a - b, a ^ b)
print(a + b)
