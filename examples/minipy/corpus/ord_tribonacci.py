a, b, c = 0, 0, 1
for i in range(30):
    if i % 5 == 0:
        print(i, a)
    a, b, c = b, c, a + b + c
print("t(30) =", a)
