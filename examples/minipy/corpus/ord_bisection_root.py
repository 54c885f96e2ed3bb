def f(x):
    """x^3 - 2, scaled: x is in millionths."""
    return x * x * x - 2 * 10 ** 18


lo, hi = 0, 2 * 10 ** 6
steps = 0
while hi - lo > 1:
    mid = (lo + hi) // 2
    if f(mid) < 0:
        lo = mid
    else:
        hi = mid
    steps += 1
print("cube root of 2 is about", lo // 10 ** 6, lo % 10 ** 6, "after", steps, "steps")
