step = 0
for i in range(1, 10, 2):
    print(i)
for i in range(1, 10, step):
    print(i)
