print(1)
not_defined(3)
