def f(a, b, c, d, e, g, h, i, j, k):
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g + 7 * h + 8 * i + 9 * j + 10 * k
print(f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
def g(x, y):
    return f(x, y, x, y, x, y, x, y, x, y)
print(g(3, -4))
