print(list(x for x in 5))
