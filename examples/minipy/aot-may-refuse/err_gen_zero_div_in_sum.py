print(sum(10 // (x - 3) for x in range(5)))
