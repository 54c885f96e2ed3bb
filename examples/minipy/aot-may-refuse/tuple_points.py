def add(p, q):
    return p[0] + q[0], p[1] + q[1]


def manhattan(p):
    x, y = p
    return abs(x) + abs(y)


moves = [(1, 0), (0, 1), (-1, 0), (0, -1)]
pos = (0, 0)
path = [pos]
for step in range(12):
    pos = add(pos, moves[step % 4 if step % 3 else (step + 1) % 4])
    path.append(pos)
print(path)
print(max(path), min(path))
far = sorted(path, key=manhattan)
print(far[-1], manhattan(far[-1]))
a, (b, c) = 1, (2, 3)
print(a, b, c)
first, rest = (1, [2])
print(first, rest)
t = (1, 2, 3)
print(t + (4,), t * 2, t[::-1], t.index(2), t.count(3), len(t), 2 in t, (1, 2) == (1, 2), (1, 2) < (1, 2, 0))
grid = [[(r, c) for c in range(3)] for r in range(2)]
print(grid)
