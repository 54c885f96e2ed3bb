d = {1: 1, 2: 2, 3: 3}
for v in reversed(d.values()):
    print(v)
    if v == 2:
        d.pop(1)
