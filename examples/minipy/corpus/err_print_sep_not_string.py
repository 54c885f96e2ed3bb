total = 0
for i in range(3):
    total += i
    print(i, total, sep=":")
print(total, sep=total)
