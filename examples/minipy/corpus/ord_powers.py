print(2 ** 10, 3 ** 4, (-2) ** 3, 10 ** 0)
x = 1
for i in range(20):
    x = x * 3 % 1000003
print(x, 2 ** 20)
