for i in range(5, -1, -1):
    print(100 // i)
