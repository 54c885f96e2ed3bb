def ways(n):
    a, b = 1, 1
    for i in range(n):
        a, b = b, a + b
    return a


for n in range(0, 40, 6):
    print(n, ways(n))
