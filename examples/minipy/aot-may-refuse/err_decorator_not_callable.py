limit = 3


@limit
def f():
    return 1
