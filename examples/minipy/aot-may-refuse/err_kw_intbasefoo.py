int("5", base=10, foo=1)
