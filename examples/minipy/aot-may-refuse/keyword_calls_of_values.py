def outer():
    def box(w, h=2, label="box"):
        return f"{label}:{w}x{h}"

    print(box(1), box(1, label="a"), box(h=5, w=3), box(4, 5, label="c"))
    area = lambda w, h=1: w * h
    print(area(w=3), area(2, h=4))
    return box


b = outer()
print(b(w=9))


def make(scale):
    return lambda x, offset=0: x * scale + offset


print(make(3)(2, offset=1), make(2)(x=5))
fs = {"double": lambda v: v * 2}
print(fs["double"](v=21))
handler = print if False else make(1)
print(handler(x=7))


def late(a, b=10):
    return a - b


f = late
f = late
print(f(b=1, a=5))
print(b(1, 2, 3, label="x") if False else "skip")
print(b(w=1, z=2))
