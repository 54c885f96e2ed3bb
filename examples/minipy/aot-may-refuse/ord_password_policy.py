# Advent-of-Code style: parse lines, count, use dict/set
data = """3-5 a: abcde
1-3 b: cdefg
2-9 c: ccccccccc
4-4 d: dddd"""


def parse(line):
    rule, password = line.split(": ")
    counts, letter = rule.split(" ")
    lo, hi = map(int, counts.split("-"))
    return lo, hi, letter, password


valid = 0
for line in data.splitlines():
    lo, hi, letter, pw = parse(line)
    if lo <= pw.count(letter) <= hi:
        valid += 1
print("valid:", valid)
