print("%d of %d" % (1, 2))
print("%d and %d" % (1,))
