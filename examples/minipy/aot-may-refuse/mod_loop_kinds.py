# Globals of several kinds around module loops: None, bools, a string, a dict, a function
# assigned after the loop, a definition after the loop.
flag = False
best = None
name = "loop"
table = {}
for i in range(5000):
    if i % 97 == 0:
        flag = not flag
    if best is None or (i * 7919) % 10007 > best:
        best = (i * 7919) % 10007
print(flag, best, name)
for i in range(3000):
    table[i % 10] = table.get(i % 10, 0) + i
print(sorted(table.items())[:3])

def later(v):
    return v + 1

z = 0
for i in range(4000):
    z = later(z)
print(z)
f = later
w = 0
for i in range(2000):
    w += 1
print(f(w))
