# list.append, dict.get and stores to module globals take quickened forms in the interpreter;
# a global that compiled code reads (K) still invalidates it, and a key that cannot be hashed
# still raises as CPython does.
K = 3
def f(x):
    return x * K
out = []
counts = {}
for i in range(300):
    out.append(f(i))
    counts[i % 7] = counts.get(i % 7, 0) + 1
    if i == 150:
        K = 5
print(sum(out), counts, counts.get(99), counts.get(99, "none"))
pairs = {}
pairs[(1, (2, 3))] = "t"
print(pairs.get((1, (2, 3))), pairs.get((1, (2, 4)), -1))
names = ["a", "b"]
names.append(names)
print(len(names), names.get if False else 0)
def g():
    d = {}
    for w in "the cat the hat".split():
        d[w] = d.get(w, 0) + 1
    r = []
    for k in d:
        r.append((k, d[k]))
    return r
print(g())
try_it = {"a": 1}
print(try_it.get([1]))
