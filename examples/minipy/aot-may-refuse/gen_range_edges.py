# Ranges iterated by comprehensions and generators near the ends of 64 bits.
top = 2 ** 63 - 1
low = -(2 ** 63)
print([x - top for x in range(top - 3, top)])
print(sum(x - low for x in range(low + 5, low, -2)))
print(list(x for x in range(top - 10, top, 4)), list(x for x in range(5, 5)))
print([x for x in range(10, 0, -3)], max(x for x in range(-7, 8, 5)))
print(sum(1 for _ in range(low, top, 2 ** 62)))
