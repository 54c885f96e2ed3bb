for v in (10 // (3 - x) for x in range(5)):
    print(v)
