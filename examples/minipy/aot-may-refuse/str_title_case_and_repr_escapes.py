for s in ["ᾀbc ᾳx", "ßa straße", "ﬁsh ﬂow", "ǆungla ǉ", "ωاb", "hello wORLD 3rd", "ŉa", "ﬓx և"]:
    print(repr(s.title()), repr(s.capitalize()), s.title().istitle(), s.istitle())
print(repr("\u200b\u00ad\u2028 \u3000\ue000\u0301a\u0301"), repr("\U000e0001"), repr("\ufeff"))
print(["\u200bx", "é\u0301"])
