s = None
for i in range(3):
    if i == 2:
        s -= 1
    print(i)
