def lookup(key):
    if key == 1:
        return "one"
    if key == 2:
        return "two"
    return None


for k in range(4):
    v = lookup(k)
    if v == None:
        print(k, "missing")
    else:
        print(k, v)
