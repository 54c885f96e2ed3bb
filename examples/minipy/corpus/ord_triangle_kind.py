def kind(a, b, c):
    if a + b <= c or a + c <= b or b + c <= a:
        return "not a triangle"
    if a == b and b == c:
        return "equilateral"
    if a == b or b == c or a == c:
        return "isosceles"
    return "scalene"


print(kind(3, 3, 3))
print(kind(3, 4, 5))
print(kind(2, 2, 3))
print(kind(1, 2, 3))
