items = [5, 3]
items.append(4)
print(items)
items.append(value=4)
