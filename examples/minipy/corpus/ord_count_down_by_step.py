for start in range(10, 0, -3):
    n = start
    steps = 0
    while n > 0:
        n -= 4
        steps += 1
    print(start, "reaches", n, "after", steps)
for i in range(5, -6, -5):
    print(i, i // 3, i % 3, -i // 3, -i % 3)
