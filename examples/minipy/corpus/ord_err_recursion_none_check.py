def walk(n, parent):
    if parent == None:
        parent = 0
    return walk(n + 1, parent + n)


print(walk(0, None))
