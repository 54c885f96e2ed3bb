print("a".split(foo=1))
