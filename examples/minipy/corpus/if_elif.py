def grade(s):
    if s >= 90:
        return 4
    elif s >= 80:
        return 3
    elif s >= 70:
        return 2
    elif s >= 60:
        return 1
    else:
        return 0

for s in range(50, 101, 7):
    print(s, grade(s))
