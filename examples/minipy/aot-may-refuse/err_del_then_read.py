total = 5
del total
print("deleted")
print(total + 1)
