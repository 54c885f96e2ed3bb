table = {ord("a"): "A", ord("b"): [2]}
print("aaa".translate(table))
print("abc".translate(table))
