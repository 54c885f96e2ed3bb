# Keys and items views are set-like: &, |, -, ^ make sets; comparisons are set comparisons.
monday = {"ann": 3, "bob": 1, "cy": 4, "dee": 2}
tuesday = {"bob": 1, "dee": 5, "eve": 2}
print("both days:", sorted(monday.keys() & tuesday.keys()))
print("either day:", sorted(monday.keys() | tuesday.keys()))
print("monday only:", sorted(monday.keys() - tuesday.keys()))
print("one day only:", sorted(monday.keys() ^ tuesday.keys()))
print("same hours:", monday.items() & tuesday.items())
print(monday.keys() & ["cy", "zed"], {"ann", "x"} & monday.keys(), monday.keys() - {"ann"} == {"bob", "cy", "dee"})
letters = dict.fromkeys("abcdefghijkl", 0)
evens = dict.fromkeys("acegikmo", 1)
print(letters.keys() & evens.keys(), evens.keys() - letters.keys(), letters.keys() ^ evens.keys())
print(monday.keys() == {"ann", "bob", "cy", "dee"}, monday.keys() == tuesday.keys(), monday.keys() != ["ann"])
print(tuesday.keys() <= monday.keys() | {"eve"}, {"bob"} < tuesday.keys(), monday.items() >= {("ann", 3)})
seen = tuesday.keys()
seen |= {"fay"}
print(sorted(seen), type(seen).__name__)
print(monday.values() & {1})
