for i in range(5):
    pass
print(i)
j = 99
for j in range(0):
    pass
print(j)
