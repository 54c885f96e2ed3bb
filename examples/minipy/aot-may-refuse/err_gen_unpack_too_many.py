a, b = (print(x) for x in range(3))
