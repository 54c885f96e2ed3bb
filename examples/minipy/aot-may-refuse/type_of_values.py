values = [1, True, "s", [1], (1,), {1: 2}, {1}, range(3), None, len, print, 2**80]
for v in values:
    print(type(v), type(v) == int, type(v) is str)
print(type(int), type(type(1)), type(lambda: 0))
kinds = {}
for v in values:
    kinds.setdefault(type(v), 0)
    kinds[type(v)] += 1
print(len(kinds), kinds[int], bool(type(None)))
print(isinstance(3, type(4)))
