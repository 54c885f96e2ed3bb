rot13 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                      "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm")
msg = "Why did the chicken cross the road?"
print(msg.translate(rot13), msg.translate(rot13).translate(rot13) == msg)
no_vowels = str.maketrans("", "", "aeiouAEIOU")
print(msg.translate(no_vowels))
leet = "".maketrans({"a": "4", "e": "3", "o": "0", ord("t"): "7", "s": None})
print(sorted(leet.items()), "test sentences".translate(leet))
print("abc".translate(["x", "y"] * 60), "naïve café".translate({ord("ï"): "i", ord("é"): "e"}))
print("abc".isascii(), "naïve".isascii(), "".isascii())
