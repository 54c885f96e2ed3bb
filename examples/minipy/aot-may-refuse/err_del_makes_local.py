level = 4


def peek():
    print(level)
    del level


peek()
