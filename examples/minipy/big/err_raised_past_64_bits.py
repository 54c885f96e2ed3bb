# An exception raised after a function has moved on to ints past 64 bits: the traceback
# is CPython's, every frame and caret.
def scaled(n):
    r = 1
    for i in range(1, n):
        r *= i
    return r // (n - n)


def report(n):
    print("scaling", n)
    return scaled(n) + 1


print(report(5) if False else "start")
print(report(30))
