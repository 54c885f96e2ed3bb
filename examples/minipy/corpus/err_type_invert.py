x = None
print(~x)
