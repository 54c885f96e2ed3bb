total = 10


def report():
    print("total is", total)
    global total
    total = 0


report()
