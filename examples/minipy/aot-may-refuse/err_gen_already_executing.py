g = (next(g) for x in range(3))
print(next(g))
