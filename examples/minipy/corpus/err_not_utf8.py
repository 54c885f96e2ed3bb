print(1)
print("café")
