def f(x):
    return x * x * x + 2 * x
def solve(target):
    lo = 0
    hi = 1000000
    while lo < hi:
        mid = (lo + hi) // 2
        if f(mid) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo
for t in range(0, 10000000, 777777):
    print(t, solve(t))
