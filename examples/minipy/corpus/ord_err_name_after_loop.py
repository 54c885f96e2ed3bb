for i in range(3):
    square = i * i
print(square)
for j in range(0):
    cube = j * j * j
print(cube)
