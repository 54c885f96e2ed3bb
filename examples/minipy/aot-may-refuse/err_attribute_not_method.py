d = {"k": 1}
get = d.get
print(get("k"), get("z", 0))
print(d.size)
