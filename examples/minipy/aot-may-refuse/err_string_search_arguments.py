# str.find() with start and end as slice indices: a start that is not an int is
# CPython's TypeError (after the searches that are right).
text = "key=value; other=thing"
print(text.find("=", 4), text.find(";", 0, 9), text.startswith("other", 11))
print(text.index("=", 4, 17))
start = "11"
print(text.find("=", start))
