s = "ab"
print(f"{s:d}")
