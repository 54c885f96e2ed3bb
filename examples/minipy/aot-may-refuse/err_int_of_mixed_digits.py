print(int("١٢٣") + 1)
print(int("12٣x"))
