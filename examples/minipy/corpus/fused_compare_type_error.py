# A fused operation-then-test whose other operand is a string: the fused form gives up and
# the compare raises CPython's TypeError from the right line.
def f(a, b):
    if a * 2 < b:
        return 1
    return 0


print(f(1, 5), f(3, 5))
print(f(2, "x"))
