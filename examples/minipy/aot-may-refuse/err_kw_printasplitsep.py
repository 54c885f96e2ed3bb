print("a".split(",", sep=","))
