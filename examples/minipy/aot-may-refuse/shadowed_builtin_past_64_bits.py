# `max` is the builtin at first, then a function of the program: the module code cannot
# run as a function of its own, so the program cannot continue past 64 bits ahead of time
# — and is refused rather than compiled with 64-bit ints (which raised an OverflowError
# CPython never raises).
print(max(5, 3))


def max(a, b):
    x = a
    for i in range(b):
        x = x * 10
    return x


print(max(1, 5))
print(max(1, 30))
