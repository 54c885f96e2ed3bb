a = []
b = []
for i in range(3000):
    a = [a]
    b = [b]
print(len(a), a[0][0][0] == b[0][0][0])
print(a == b)
