for a in range(0, 4):
    for b in range(0, 4):
        print(a, b, a < b, a <= b, a > b, a >= b, a == b, a != b, 0 <= a < b <= 3, a < b > 1)
