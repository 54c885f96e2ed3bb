# Assertions that hold cost nothing visible.
def gcd(a, b):
    assert a >= 0 and b >= 0
    while b:
        a, b = b, a % b
    assert a > 0 or b == 0, "gcd is positive"
    return a


total = 0
for i in range(1, 50):
    g = gcd(i * 6, 84)
    assert 84 % g == 0, "gcd must divide"
    total += g
print("sum of gcds", total)
assert total == total
