def gcd(a, b):
    return a if b == 0 else gcd(b, a % b)

acc = 0
for i in range(1, 60):
    for j in range(1, 60, 7):
        acc += gcd(i * 12, j * 18)
print(acc)
