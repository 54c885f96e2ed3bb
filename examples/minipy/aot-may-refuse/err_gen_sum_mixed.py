print(sum(x for x in [1, 2]), sum((x for x in [[1], [2]]), []), sum(x for x in [1, "a"]))
