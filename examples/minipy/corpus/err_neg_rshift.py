n = -3
print(8 >> n)
