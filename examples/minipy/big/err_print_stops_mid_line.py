# print writes its arguments one by one: those before one too long to convert are out.
x = 7 ** 5000
print("digits of 7**2000:", 7 ** 2000 % 1000)
print("about to print", 7, x)
