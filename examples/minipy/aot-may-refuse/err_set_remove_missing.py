seen = {3, 1, 4}
seen.remove(1)
print(seen)
seen.remove((5, "x"))
