def spread(a, b):
    return a - b


total = 100
for a in range(5, 2, -1):
    parts = spread(a, 3)
    print(total // parts)
