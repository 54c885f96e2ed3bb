first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abc"
print(init, last)
a, *middle, z = range(6)
print(a, middle, z)
head, *tail = (9,)
print(head, tail)
for name, *scores in [("ann", 3, 4), ("bob", 5), ("cy",)]:
    print(name, scores, sum(scores))
x, y, *more = {"k": 1, "j": 2}
print(x, y, more)
p, *q, r = [1, 2]
print(p, q, r)
u, *v, w = [1]
