print(max(x for x in range(3)), min(x for x in range(3)), min((x for x in "bca")), max(x for x in []))
