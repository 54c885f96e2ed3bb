def score(i):
    return (i * 37 + 11) % 101


count = 0
total = 0
best = None
worst = None
passed = 0
for i in range(25):
    s = score(i)
    count += 1
    total += s
    if best == None or s > best:
        best = s
    if worst == None or s < worst:
        worst = s
    if s >= 50:
        passed += 1
print("count", count, "mean", total // count, "best", best, "worst", worst, "passed", passed)
