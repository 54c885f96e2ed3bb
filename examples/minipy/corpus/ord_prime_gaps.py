def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


last = 2
largest_gap = 0
after = 0
for n in range(3, 2000):
    if is_prime(n):
        gap = n - last
        if gap > largest_gap:
            largest_gap = gap
            after = last
            print("new record gap", gap, "after", last)
        last = n
print("largest gap below 2000:", largest_gap, "after", after)
