groups = [{"a": 1}, {"b": 2}]
print({**g for g in groups})
