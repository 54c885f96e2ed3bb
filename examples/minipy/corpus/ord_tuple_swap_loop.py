a, b = 0, 1
for i in range(30):
    a, b = b, a + b
print(a, b)
x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
