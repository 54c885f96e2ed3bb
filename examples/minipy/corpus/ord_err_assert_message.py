def check_sorted(a, b, c):
    assert a <= b <= c, "values out of order"
    return a + b + c


print(check_sorted(1, 2, 3))
print(check_sorted(3, 2, 1))
