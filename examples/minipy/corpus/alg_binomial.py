def comb(n, k):
    if k < 0 or k > n:
        return 0
    k = min(k, n - k)
    r = 1
    for i in range(k):
        r = r * (n - i) // (i + 1)
    return r
for n in range(12):
    row = 0
    for k in range(n + 1):
        row += comb(n, k)
    print(n, comb(n, n // 2), row)
print(comb(60, 30))
