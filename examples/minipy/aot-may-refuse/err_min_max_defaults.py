xs = [3, -7, 5]
print(max(xs, default=0), max([], default=None), min([], key=abs, default="none"))
print(max(3, -7, 5, key=abs), min("b", "A", "c", key=str.lower), max(1, 2), max(xs, key=lambda v: -v))
for i, x in enumerate(xs, start=1):
    print(i, x)
print(sum(xs, start=100), int("ff", base=16), dict(a=1, b=[2]))
print(sum([[1], [2, 3]], start=[]))
print(max([], key=abs))
