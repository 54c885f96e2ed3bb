def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


for a in range(12, 40, 9):
    row = 0
    for b in range(6, 30, 8):
        row = row * 100 + gcd(a, b)
    print(a, row)
