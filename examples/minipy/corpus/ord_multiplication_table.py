for row in range(1, 6):
    a = row * 1
    b = row * 2
    c = row * 3
    d = row * 4
    e = row * 5
    print(a, b, c, d, e)
print("diagonal sum", 1 + 4 + 9 + 16 + 25)
