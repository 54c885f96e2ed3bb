a = "apple"
b = "banana"
print(a < b, a == "apple", a != b, b >= a, "" == "", not "", not "x")
word = a if a < b else b
print(word, max("pear", "fig"), min("pear", "fig"))
s = ""
print(s or "empty", "x" and "y")
