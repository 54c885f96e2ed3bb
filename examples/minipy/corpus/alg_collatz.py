def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
best = 0
best_n = 0
for n in range(1, 3000):
    s = collatz(n)
    if s > best:
        best = s
        best_n = n
print(best_n, best)
