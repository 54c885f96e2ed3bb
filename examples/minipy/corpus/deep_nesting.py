def classify(a, b, c):
    if a > 0:
        if b > 0:
            if c > 0:
                return 7
            else:
                return 6
        elif c > 0:
            return 5
        else:
            return 4
    else:
        while b > 0:
            b -= 2
            if b == 1:
                return 3
        return 2 if c else 1

total = 0
for a in range(-1, 2):
    for b in range(-1, 4):
        for c in range(-1, 2):
            total = total * 3 + classify(a, b, c)
            total %= 1000003
print(total)
