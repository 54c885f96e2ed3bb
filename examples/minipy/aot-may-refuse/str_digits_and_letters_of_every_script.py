for s in ["123", "½", "²", "١٢٣", "Ⅷ", "a1", "", "٣", "①", "0x", "一二三", "ⅷ", "𝟘𝟙", "߀", "abc", "Ab1", "x²", "٣.5", "१२"]:
    print(repr(s), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalnum(), s.isalpha())
print(int("٣٤"), int("１２"), int("১২", 10), int(" ٣ "), int("\u2003 7\u3000"), int("١٠", 16), int("-٥"))
print(int("٣", 0) if False else 0)
print(int("٣²"))
