def isqrt(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x
for n in range(0, 100, 9):
    print(n, isqrt(n))
print(isqrt(1000000000000000000), isqrt(4611686018427387903))
