total = 0
for i in range(-10, 11):
    total += abs(i * i - 20)
print(total, abs(-7), abs(0), abs(True))
