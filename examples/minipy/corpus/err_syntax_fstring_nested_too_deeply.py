width = 6
print(f"{42:{width:{2}}}")
