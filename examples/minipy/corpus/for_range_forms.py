for i in range(4):
    print(i)
for i in range(2, 6):
    print(i)
for i in range(10, -10, -4):
    print(i)
for i in range(-5, 5, 3):
    print(i)
for i in range(0):
    print("no")
for i in range(3, 1):
    print("no")
for i in range(True, 3):
    print(i)
print(i)
