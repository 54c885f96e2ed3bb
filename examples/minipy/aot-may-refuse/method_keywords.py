# Methods called with keyword arguments, as CPython takes them.
inventory = {"apples": 3}
inventory.update(pears=2, apples=5)
inventory.update({"figs": 1}, kiwis=4)
inventory.update([("plums", 6)])
print(inventory)

line = "name: Ada Lovelace: mathematician"
key, rest = line.split(sep=":", maxsplit=1)
print(key, "|", rest.strip())
print(line.rsplit(maxsplit=1), line.split(maxsplit=2))
print("a\nb\r\nc".splitlines(keepends=True), "x\ny".splitlines(keepends=False))

template = "{name} scored {score:>{width}} ({pct}%)"
for name, score in [("Ann", 91), ("Bob", 7)]:
    print(template.format(name=name, score=score, width=4, pct=score * 100 // 100))
print("{0}/{1} {0}".format("a", "b"), "{:>{}}|".format("r", 5), "{x[0]}-{y[k]}".format(x=[1], y={"k": 2}))
print("{:{}{}}".format(7, "0", 4), "{!r:^9}".format("q"), "{{literal}} {}".format(1))

opts = {"reverse": True}
scores = [3, 9, 1]
scores.sort(**opts)
print(scores)
scores.sort(reverse=False, key=None)
print(scores, sorted(scores, reverse=True))

method = "a-b-c".split
print(method("-", maxsplit=1), method(sep="-"))
print(str.split("p q r", maxsplit=1))
