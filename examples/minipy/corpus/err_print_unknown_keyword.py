print("before")
print("value", 42, start="[")
