for a in range(-7, 8, 3):
    for b in range(-3, 4):
        if b != 0:
            print(a, b, a // b, a % b)
