s = {1, 2, 3}
for x in s:
    print(x)
    if x == 2:
        s.add(x * 10)
