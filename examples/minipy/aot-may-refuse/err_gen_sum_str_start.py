print(sum((x for x in ["a"]), ""))
