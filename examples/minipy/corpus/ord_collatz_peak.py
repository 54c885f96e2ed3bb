def peak(n):
    top = n
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        top = max(top, n)
    return top


best_start = 1
best_peak = 1
for start in range(1, 200):
    p = peak(start)
    if p > best_peak:
        best_start, best_peak = start, p
print("highest peak below 200:", best_peak, "from", best_start)
print(peak(27), peak(97), peak(1))
