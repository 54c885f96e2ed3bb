q, r = divmod(17, 5)
print(q, r)
print(divmod("17", 5))
