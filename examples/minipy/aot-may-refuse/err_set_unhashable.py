ok = {1, (2, 3), "four"}
print(len(ok))
bad = {1, [2, 3]}
