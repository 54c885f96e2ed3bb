# Keyword arguments to builtins and to str.split, as ordinary code writes them.
def parse_pairs(text):
    pairs = []
    for item in text.split(sep=";"):
        key, value = item.split("=", maxsplit=1)
        pairs.append((key.strip(), int(value, base=16)))
    return pairs


pairs = parse_pairs("a=ff; b=10;c=7")
print(pairs)
print(round(123456, ndigits=-3), round(number=7), pow(3, 200, mod=1000), pow(exp=5, base=2))
print(str(object=42) + "!", sum((v for _, v in pairs), start=1000))
for i, (k, v) in enumerate(pairs, start=1):
    print(f"{i}: {k} -> {v:>5}")
print("x-y-z".rsplit("-", maxsplit=1), "  lots   of   space ".split(maxsplit=2))
print(sorted(["b", "C", "a"], key=None), sorted(["b", "C", "a"], key=str.lower, reverse=True))
row = *range(3), *"ab"
first, *rest = row
print(row, first, rest)
