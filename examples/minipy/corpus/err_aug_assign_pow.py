x = 2
x **= 3
print(x)
y = None
x **= y
