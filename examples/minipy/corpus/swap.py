a, b = 0, 1
for _ in range(30):
    a, b = b, a + b
print(a, b)
x = y = 5
x += 3
y *= 2
print(x, y)
p, q, r = 1, 2, 3
p, q, r = r, p, q
print(p, q, r)
