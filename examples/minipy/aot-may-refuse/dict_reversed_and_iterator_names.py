d = {"a": 1, "b": 2, "c": 3}
print(list(reversed(d)), list(reversed(d.keys())), list(reversed(d.values())), list(reversed(d.items())))
for it in (iter(d), iter(d.keys()), iter(d.values()), iter(d.items()), reversed(d), reversed(d.values()), reversed(d.items())):
    print(type(it).__name__, next(it))
for k in d:
    d[k] += 10
print(d)
r = reversed(d)
print(next(r))
del d["b"]
print(list(reversed(d)), [k for k in reversed({})])
e = {1: 1}
it = iter(e)
print(next(it), next(it, "done"))
e[2] = 2
print(next(it, "still done"))
