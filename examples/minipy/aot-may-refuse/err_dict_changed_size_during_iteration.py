d = {1: 1, 2: 2}
n = 0
for k in d:
    n += 1
    if n < 5:
        d[k + 10] = 1
print(d)
