def show(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    dollars = cents // 100
    rest = cents % 100
    if rest < 10:
        print(sign, dollars, ".0", rest)
    else:
        print(sign, dollars, ".", rest)


show(0)
show(5)
show(1234)
show(-705)
show(100000)
