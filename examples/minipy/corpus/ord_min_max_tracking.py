lo = 10 ** 9
hi = -lo
for i in range(1, 50):
    v = (i * 131) % 97
    lo = min(lo, v)
    hi = max(hi, v)
print(lo, hi, max(lo, hi, 50), min(3, 1, 2))
