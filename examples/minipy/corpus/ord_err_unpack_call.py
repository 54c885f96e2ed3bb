a, b = 1, 2
print(a + b)
a, b, c = 1, 2
print(c)
