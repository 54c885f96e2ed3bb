for b in range(-3, 4):
    for e in range(0, 6):
        print(b, e, b ** e)
print(2 ** 62, (-2) ** 63)
print(7 ** 22)
