def f(a, b, c=10):
    return a + b * c


args = [1, 2]
print(f(*args), f(*args, 3), f(0, *[5]), f(*(1, 2, 3)))
print(*"abc", sep="-", end="!\n")
print(*[], "x")
print(list(map(str, [1, 2, 3])), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])))
print(list(filter(None, [0, 1, "", "a", [], [0]])), sum(filter(lambda v: v % 2, range(10))))
for s in map(str, range(3)):
    print(s, end=" ")
print()
m = [[1, 2, 3], [4, 5, 6]]
print(list(zip(*m)), max(*[3, 9, 2]), min(*"hello"))
print(*map(abs, [-1, -2]))
