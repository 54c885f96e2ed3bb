def walk(n, seen):
    q, r = divmod(len(seen), 2) if isinstance(n, int) else (0, 0)
    return walk(n + 1, seen)


print(walk(0, [[1, 2], 3]))
