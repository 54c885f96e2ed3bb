print(int, str, list, len, abs)
print(range - 1)
