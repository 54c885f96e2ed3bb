n = 5
print(f"{n # the count
}")
