for i in range(1, 6):
    line = 0
    for j in range(1, 6):
        if j > i:
            break
        line = line * 10 + j
    print(line)
c = 0
for a in range(10):
    for b in range(10):
        if (a + b) % 3 == 0:
            continue
        c += 1
print(c)
