x = 1
s = r"abc\"
