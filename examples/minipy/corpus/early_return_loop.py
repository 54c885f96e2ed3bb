def first_multiple(n, k):
    for i in range(1, 1000):
        if (i * k) % n == 0:
            return i * k
    return -1

for n in range(2, 12):
    print(n, first_multiple(n, 6))
