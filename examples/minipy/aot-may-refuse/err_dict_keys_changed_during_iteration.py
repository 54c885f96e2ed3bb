d = {1: 1, 2: 2}
for k in d:
    d[k] = 5
    del d[k]
    d[k] = 3
print(d)
