total = 0
for i in range(5):
    total += i
    if i == 3:
        print(totl)
