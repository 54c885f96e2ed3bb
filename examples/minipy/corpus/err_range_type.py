for i in range(None):
    print(i)
