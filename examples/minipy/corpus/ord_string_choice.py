def describe(n):
    if n < 0:
        kind = "negative"
    elif n == 0:
        kind = "zero"
    elif n % 2 == 0:
        kind = "even"
    else:
        kind = "odd"
    return kind


def show(n):
    print(n, describe(n))


show(-3)
show(0)
show(4)
show(7)
print(describe(2) == "even", describe(1) != "even")
