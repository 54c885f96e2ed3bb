names = ["bob", "Alice", "dave", "Carol", "eve"]
print(sorted(names), sorted(names, key=str.lower), sorted(names, key=len, reverse=True))
print(list(map(str.upper, names)), max(names, key=len))
first, *rest = names
*init, last = names
a, (b, c), d = 1, (2, 3), 4
print(first, rest, init, last, a, b, c, d)
print(sum([[1], [2, 3], []], []), names.copy() is names, names[:] == names)
s1, s2 = {1, 2, 3, 4}, {3, 4, 5}
print(s1.union(s2), s1.intersection(s2), s1.difference(s2), s1.symmetric_difference(s2))
print(s1.issubset(s2), {3}.issubset(s2), s1.issuperset({1, 2}), s1.isdisjoint({9}))
print(dict(zip("abc", range(3))), list(map(int, "10 20 30".split())))
print(range(10)[::-1], list(range(10)[2:8:3]), range(0, 20, 5)[-1], 7 in range(0, 20, 7))
d = {"x": 1, "y": 2, "z": 3}
print(list(reversed(d)), d.pop("q", None), d.pop("x"), d)
d.update({"w": 0}, v=9)
print(sorted(d, key=d.get, reverse=True), list(d), "y" in d, 2 in d.values())
del d["y"]
print(d, len(d))
print(True + True, isinstance(True, int), type(3) is int, str(None), None is None)
print(max(3, 7, 5), min("b", "a", "c"), max([1, 5, 2], default=0), min([], default=-1))
print(repr("it's"), repr('say "hi"'), repr("\n\t\\"), repr("a'b\"c"))
print(len("héllo"), "héllo".upper(), "straße".upper(), "ǅ".lower(), "ΣΑΣ".lower())
print(f"{'x'!r:>6}|{42:^8}|{'mid':*^9}|{-7:+d}|{7:+d}|{255:#x}")
xs = [5, 3, 8, 1]
xs[1:3] = [9, 9, 9]
print(xs, xs.index(9), xs.index(9, 2), xs.count(9))
del xs[::2]
print(xs, xs * 2, [0] * 3 + [1])
xs.reverse()
print(xs, list(enumerate(reversed(xs))), list(zip(xs, "ab", [True, False, True])))
print(hash((1, 2)) == hash((1, 2)), tuple(sorted({3, 1, 2})), print(end=""))
print("a", "b", sep="")
print("ab".join("xyz"), "-".join(str(i) for i in range(4)))
print(str.join(",", ["p", "q"]), "x".isupper(), "ABC".isupper(), "a1".isalnum(), " \t".isspace())
print(ord("A"), chr(97), [chr(c) for c in range(ord("a"), ord("f"))])
print("%s has %d items (%r) %x %5s|%-5s|" % ("cart", 3, "hi", 255, "r", "l"))
t = "hello world"
print(t[::-1], t[-5:], t[:-6], t[::3], t[100:], t[-100:2])
