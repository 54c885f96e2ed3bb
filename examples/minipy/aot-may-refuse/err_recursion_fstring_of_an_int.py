def walk(n, seen):
    tag = f"{n}"
    return walk(n + 1, seen)


print(walk(0, [[1, 2], 3]))
