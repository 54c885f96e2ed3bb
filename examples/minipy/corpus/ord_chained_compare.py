def classify(x):
    if 0 <= x < 10:
        return "digit"
    if 10 <= x < 100:
        return "two digits"
    if x < 0:
        return "negative"
    return "big"


for x in range(-5, 200, 45):
    print(x, classify(x))
print(1 < 2 < 3, 3 > 2 > 2, 1 == 1 != 2)
