def show_sorted(a, b, c):
    if a > b:
        a, b = b, a
    if b > c:
        b, c = c, b
    if a > b:
        a, b = b, a
    print(a, b, c, a <= b <= c)


show_sorted("pear", "apple", "fig")
show_sorted("b", "B", "a")
show_sorted("", "zz", "z")
show_sorted("same", "same", "Same")
