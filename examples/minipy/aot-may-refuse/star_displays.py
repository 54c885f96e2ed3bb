a = [1, 2]
b = (3,)
print([*a, *b, 4], (*a, 0), {*a, *b, 1}, [*"hi", *range(2)], [*a])
merged = [*a, *[x * 10 for x in a]]
print(merged, len([*{}, *set()]))
