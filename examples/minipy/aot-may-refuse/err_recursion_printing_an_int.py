def walk(n, seen):
    print(n, seen)
    return walk(n + 1, seen)


print(walk(0, [[1, 2], 3]))
