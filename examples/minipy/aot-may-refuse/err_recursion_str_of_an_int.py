def walk(n, seen):
    label = str(n) + "!"
    return walk(n + 1, seen)


print(walk(0, [[1, 2], 3]))
