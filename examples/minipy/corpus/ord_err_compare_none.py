best = None
for score in range(3):
    if best == None or score > best:
        best = score
print(best)
worst = None
print(worst < 3)
