def isqrt(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


for n in range(0, 200, 23):
    r = isqrt(n)
    print(n, r, r * r <= n < (r + 1) * (r + 1))
