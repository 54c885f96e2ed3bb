def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return sign + format(cents // 100, ",") + "." + format(cents % 100, "02d")


for c in [0, 5, 1999, -250000, 123456789]:
    print(money(c).rjust(16))

print(format(255, "b"), format(255, "#x"), format(255, "o"), format(-255, "+08d"))
print(format("left", "<8") + "|", format("right", ">8") + "|", format("mid", "^9") + "|")
print(format(10**30, "_"), format(True), format(None), format([1, "a"]))
print(format(65, "c"), format(7), repr(format("", "")))
