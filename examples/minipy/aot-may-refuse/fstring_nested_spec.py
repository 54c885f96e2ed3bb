# A table whose column widths come from the data: format specs with fields in them.
rows = [("apples", 12, 5), ("kiwis", 150, 2), ("figs", 7, 11)]
name_w = max(len(r[0]) for r in rows)
count_w = max(len(str(r[1])) for r in rows) + 1
print(f"{'fruit':<{name_w}} | {'n':>{count_w}} | price")
print(f"{'':-<{name_w}}-+-{'':->{count_w}}-+------")
for name, count, price in rows:
    print(f"{name:<{name_w}} | {count:>{count_w}} | {price:0{3}d}")

for fill in "*=.":
    for align in "<^>":
        print(f"[{'mid':{fill}{align}{9}}]", end=" ")
    print()

n = 48879
for base in "bdox":
    print(f"{n:#{base}}", f"{n:>{20},}" if base == "d" else f"{n:_{base}}")

width = 10
print(f"{n=:{width}}|{n!r:>{width}}|{'x'!s:^{width - 4}}|")
