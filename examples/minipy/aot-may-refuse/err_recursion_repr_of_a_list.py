def walk(n, seen):
    text = repr(seen)
    return walk(n + 1, seen)


print(walk(0, [[1, 2], 3]))
