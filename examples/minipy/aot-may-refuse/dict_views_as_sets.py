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
a = {"x": 1, "y": 2}
b = {"y": 2, "x": 1}
c = {"x": 1, "y": 3}
print([a.keys()] == [b.keys()], [a.items()] == [b.items()], [a.items()] == [c.items()])
print(a.keys() in [c.keys()], (a.keys(),) == ({"x", "y"},), [{"x", "y"}] == [a.keys()])
print([a.items()] == [{("x", 1), ("y", 2)}], [a.items()] == [{("x", 1), ("y", 9)}], [a.values()] == [a.values()])
t = {("x", 1): 0, ("y", 2): 0}
print([t.keys()] == [a.items()], [a.items()] == [t.keys()], [a.keys()] == [a.items()])
print({1: a.keys()} == {1: b.keys()}, [a.keys()] != [c.keys()], [c.keys()] == [{"x"}])
