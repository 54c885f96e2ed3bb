print("before")
print("ab\x4z")
