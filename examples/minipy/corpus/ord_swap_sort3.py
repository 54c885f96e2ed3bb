def middle(a, b, c):
    if a > b:
        a, b = b, a
    if b > c:
        b, c = c, b
    if a > b:
        a, b = b, a
    return b


print(middle(3, 1, 2), middle(9, 9, -1), middle(-5, 0, 5))
print(min(4, 2, 8), max(4, 2, 8), min(3, -3), max(-1, -2, -3))
