a = []
for i in range(5000):
    a = [a]
print(len(str(a[0])))
