level = 3
name = "three"
print(level == name)
print(level < name)
