def sq(x):
    return x * x
h = sq
print(h(7))
def apply_twice(x):
    return sq(sq(x))
print(apply_twice(3))
