best = None
for score in range(5, 0, -1):
    if best == None or score > best:
        best = score
print("best", best)
worst = None
for score in range(3):
    if score < worst:
        worst = score
print("worst", worst)
