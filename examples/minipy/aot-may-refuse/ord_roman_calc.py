VALUES = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
DIGIT = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(n):
    if not 0 < n < 4000:
        raise ValueError(f"{n} out of range")
    out = []
    for value, sym in VALUES:
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


def from_roman(s):
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = DIGIT[a]
        total += -v if b != " " and DIGIT[b] > v else v
    if to_roman(total) != s:
        raise ValueError("not canonical: " + s)
    return total


def calc(expr):
    a, op, b = expr.split()
    x, y = from_roman(a), from_roman(b)
    result = {"+": x + y, "-": x - y, "*": x * y}[op]
    return to_roman(result)


for e in ["XIV + XXVIII", "MCMXC - CDXLIV", "XII * XII", "MMM + CMXCIX"]:
    print(e, "=", calc(e))
print(all(from_roman(to_roman(n)) == n for n in range(1, 4000)))
print(calc("V - X"))
