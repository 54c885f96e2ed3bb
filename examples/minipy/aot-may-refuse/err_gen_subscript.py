g = (x for x in range(3))
print(g[0])
