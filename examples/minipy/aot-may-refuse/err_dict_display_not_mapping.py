base = {"red": 1, "green": 2}
extra = [("blue", 3)]
print({**base, "alpha": 0})
print({**base, **dict(extra)})
print({**base, **extra})
