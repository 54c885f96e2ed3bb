def floor_sqrt(n):
    lo, hi = 0, n + 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid
    return lo


for n in range(0, 50, 7):
    r = floor_sqrt(n)
    print(n, r, r * r <= n < (r + 1) * (r + 1))
print(floor_sqrt(10 ** 9), floor_sqrt(10 ** 9 - 1))
