print("\x41\101\u0041\U00000041")
print("\a\b\f\v\0" == "\x07\x08\x0c\x0b\x00", "\777" == "\u01ff", "\d", "\8", "\q")
print(r"\x41\n", R"\\", r"a\"b", u"\x41", U"\u00e9")
print('''tri\x41
ple\
cont''')
print(r"""raw \n
tri""")
print("é\u00e9\U0001F600" == "éé😀")
print("tab\there", 'q\'s', "d\"q", "\1\12\123\1234")
