def egyptian(num, den):
    """Greedy unit fractions for num/den, as their denominators."""
    parts = 0
    while num > 0:
        unit = (den + num - 1) // num
        print("  1 /", unit)
        num = num * unit - den
        den = den * unit
        parts += 1
    return parts


def show(num, den):
    print(num, "/", den, "=")
    print("  parts:", egyptian(num, den))


show(4, 13)
show(2, 3)
show(3, 7)
show(1, 7)
