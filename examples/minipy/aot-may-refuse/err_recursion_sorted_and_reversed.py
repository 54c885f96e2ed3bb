def walk(n, seen):
    order = sorted(reversed(seen[1:]))
    return walk(n + 1, seen)


print(walk(0, [[1, 2], 3]))
