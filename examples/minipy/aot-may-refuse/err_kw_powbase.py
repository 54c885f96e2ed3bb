pow(2, base=3)
