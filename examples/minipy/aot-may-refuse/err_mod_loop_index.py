# An IndexError raised in a module loop after it is compiled.
data = [3, 1, 4, 1, 5, 9, 2, 6]
s = 0
for i in range(6000):
    s += data[i % 8]
    if i == 5000:
        s += data[i]
print(s)
