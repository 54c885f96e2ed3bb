# list mutation while iterating, and other everyday traps
xs = [1, 2, 3, 4, 5, 6]
for x in xs:
    if x % 2 == 0:
        xs.remove(x)
print(xs)
ys = [1, 2, 3]
for y in ys:
    if len(ys) < 6:
        ys.append(y * 10)
print(ys)
grid = [[0] * 3] * 3
grid[0][0] = 1
print(grid)
grid = [[0] * 3 for _ in range(3)]
grid[0][0] = 1
print(grid)
def add(item, bucket=[]):
    bucket.append(item)
    return bucket
print(add(1), add(2), add(3, []))
a = b = []
a.append(1)
print(a, b, a is b, [] is [], [] == [])
s = "abc"
t = s
s += "d"
print(s, t)
tup = (1, [2, 3])
tup[1].append(4)
print(tup)
print(sorted([3, 1, 2]) is None, [3, 1, 2].sort() is None)
funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])
funcs = [lambda i=i: i for i in range(3)]
print([f() for f in funcs])
x = 10
def show():
    return x
x = 20
print(show())
n = 0
while n < 3:
    n += 1
else:
    print("while done", n)
for i in range(3):
    if i == 5:
        break
else:
    print("for done", i)
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 == 2, (1, 2) < (1, 3), [1, 2] < [1, 2, 0], "abc" < "abd")
print(not [], not [0], bool(""), bool(" "), None or "default", 0 and 1, [] or {} or ())
print(-7 // 2, -7 % 2, 7 // -2, 7 % -2, divmod(-7, 2), 2 ** -1 if False else 2 ** 10, -2 ** 2)
print(int("0010"), int(True), str(10**20), len(str(2**100)), abs(-2**64))
