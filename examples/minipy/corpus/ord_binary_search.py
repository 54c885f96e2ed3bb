def square(i):
    return i * i


def find_root(target):
    lo = 0
    hi = target + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if square(mid) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


print(find_root(0), find_root(1), find_root(50), find_root(1000000))
