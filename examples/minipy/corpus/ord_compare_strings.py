a = "apple"
b = "banana"
print(a < b, a == "apple", b != "apple", a >= "apple")
print("Zebra" < "apple", "" < "a", "abc" < "abd")
