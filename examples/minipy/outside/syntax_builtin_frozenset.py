seen = frozenset([1, 2])
print(seen)
