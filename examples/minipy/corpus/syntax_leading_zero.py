print(1)
x = 012
