print(len(x for x in range(3)))
