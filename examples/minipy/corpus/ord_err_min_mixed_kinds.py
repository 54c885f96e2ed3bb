low = min(4, 9, 2)
print("lowest", low)
name = "two"
print(min(low, name))
