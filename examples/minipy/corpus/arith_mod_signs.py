for a in range(-10, 11, 5):
    print(a % 7, a % -7, a // 7, a // -7, a % 1, a // 1, a % -1)
