words = ["b", "A"]
print(sorted(words, key=str.lower))
print(list.append([], 1))
print(str.upper(["x"]))
