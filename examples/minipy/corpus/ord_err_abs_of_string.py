def distance(a, b):
    return abs(a - b)


print(distance(3, 10))
print(distance(-4, 4))
label = "far"
print(abs(label))
