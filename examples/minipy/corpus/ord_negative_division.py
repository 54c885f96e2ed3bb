for a in range(-7, 8, 7):
    for b in range(-3, 4, 2):
        print(a, b, a // b, a % b)
