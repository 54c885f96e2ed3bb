# Keyword arguments to the program's own functions: in order, out of order, mixed with
# positional ones, skipping parameters that have defaults; evaluated left to right as
# written even when they fill parameters in another order.
def box(width, height=2, depth=1, label="box"):
    print(label, width, height, depth)
    return width * height * depth


def noisy(tag, value):
    print("evaluating", tag)
    return value


def total(a, b, c=10):
    return a + 2 * b + 3 * c


print(box(3))
print(box(3, depth=4))
print(box(width=5, label="crate"))
print(box(label="tall", height=9, width=1))
print(box(2, 3, label="flat"))
print(total(b=noisy("b", 1), a=noisy("a", 2)))
print(total(1, c=noisy("c", 5), b=noisy("b", 7)))
s = 0
for i in range(3000):
    s += total(c=i % 5, a=i, b=1) + total(i, b=i % 3)
print(s)
