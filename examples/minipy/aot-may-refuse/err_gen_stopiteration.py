g = (x for x in range(2))
print(next(g), next(g))
next(g)
