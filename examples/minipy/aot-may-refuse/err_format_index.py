print("{0}-{0}".format("a"))
print("{} {}".format("only"))
