def is_vowel(ch):
    return ch == "a" or ch == "e" or ch == "i" or ch == "o" or ch == "u"


count = 0
for code in range(5):
    letter = "a" if code == 0 else "b" if code == 1 else "e" if code == 2 else "z" if code == 3 else "u"
    if is_vowel(letter):
        count += 1
        print(letter, "is a vowel")
    else:
        print(letter, "is not a vowel")
print(count, "vowels")
