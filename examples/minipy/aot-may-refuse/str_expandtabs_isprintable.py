print("".join(c for c in map(chr, range(0, 0x3000)) if c.isprintable()) == "".join(c for c in map(chr, range(0, 0x3000)) if c.isprintable() and True))
bad = [i for i in list(range(0xD800)) + list(range(0xE000, 0x20000)) if chr(i).isprintable()]
print(len(bad) > 70000)
print([i for i in range(128) if chr(i).isprintable()] == list(range(32, 127)))
print("a\tb".isprintable(), "\\".isprintable(), "'\"".isprintable(), "".isprintable())
for s in ["a\tbc\td", "\t", "ab\ncd\tx", "12345678\tx", "x\r\ty", "é\tz"]:
    print(repr(s.expandtabs()), repr(s.expandtabs(4)), repr(s.expandtabs(0)), repr(s.expandtabs(tabsize=3)), repr(s.expandtabs(-1)))
print("a\tb".expandtabs(1, 2))
