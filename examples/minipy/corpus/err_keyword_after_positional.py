print("header")
print("a", sep="-", "b")
