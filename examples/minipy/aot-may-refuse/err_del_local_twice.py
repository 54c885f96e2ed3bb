def tidy(n):
    scratch = n + 1
    del scratch
    print("once")
    del scratch
    return n


tidy(3)
