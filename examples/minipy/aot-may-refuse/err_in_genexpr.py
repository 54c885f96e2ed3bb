total = sum(len(w) for w in ["ab", 5])
