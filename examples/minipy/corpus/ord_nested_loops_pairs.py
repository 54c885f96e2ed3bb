pairs = 0
for a in range(1, 20):
    for b in range(a, 20):
        if (a * b) % 6 == 0:
            pairs += 1
print(pairs)
