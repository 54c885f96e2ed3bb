def area(w, h):
    """The area of a w by h rectangle."""
    return w * h


def perimeter(w, h):
    "The perimeter, in one line."
    return 2 * (w + h)


print(area(3, 4), perimeter(3, 4))
print(area(0, 9), perimeter(1, 1))
