ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(10 ** 12, "trillion"), (10 ** 9, "billion"), (10 ** 6, "million"), (1000, "thousand")]


def below_thousand(n):
    words = []
    if n >= 100:
        words += [ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else ""))
    elif n:
        words.append(ONES[n])
    return words


def spell(n):
    if n == 0:
        return "zero"
    if n < 0:
        return "minus " + spell(-n)
    words = []
    for value, name in SCALES:
        if n >= value:
            words += below_thousand(n // value) + [name]
            n %= value
    if n and words and n < 100:
        words.append("and")
    words += below_thousand(n)
    return " ".join(words)


for n in [0, 7, 13, 42, 100, 101, 342, 1000, 1001, 99999, 123456789, -15, 10 ** 12 + 5]:
    print(f"{n:>15,}: {spell(n)}")
letters = sum(len(spell(n).replace(" ", "").replace("-", "")) for n in range(1, 1001))
print("letters 1..1000:", letters)
