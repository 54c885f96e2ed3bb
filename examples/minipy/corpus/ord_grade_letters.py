def grade(score):
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    elif score >= 70:
        return "C"
    elif score >= 60:
        return "D"
    return "F"


scores = 0
passed = 0
for s in range(35, 101, 7):
    g = grade(s)
    print(s, g)
    if g != "F":
        passed += 1
    scores += s
print("passed", passed, "average", scores // 10)
