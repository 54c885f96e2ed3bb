total = 0
skipped = 0
for i in range(50):
    if i % 7 == 0:
        skipped += 1
        continue
    if i > 40:
        break
    total += i
print(total, skipped)
