# A module loop whose ints outgrow 64 bits after it is compiled, then a late error.
x = 1
for i in range(3000):
    x = x * 3 + i
print(x % 1000000007, len(str(x)))

y = 0
for i in range(5000):
    y += i * i
    if y > 10 ** 30:
        break
print(y)

z = 5
for i in range(4000):
    z = z + 1 - 1
    if i == 3500:
        z = 10 // (i - 3500)
print(z)
