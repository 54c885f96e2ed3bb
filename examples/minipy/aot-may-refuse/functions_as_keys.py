def double(x):
    return x * 2


square = lambda x: x * x


def make(k):
    return lambda x: x + k


add3 = make(3)
table = {double: "double", square: "square", add3: "add3", len: "len"}
for f, name in table.items():
    print(name, f(4) if f is not len else f("four"))
seen = {double, square, add3, double}
print(len(seen), square in seen, make(3) in seen, add3 in table)
