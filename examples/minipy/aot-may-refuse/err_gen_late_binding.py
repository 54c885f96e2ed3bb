def f():
    k = 1
    g = (x * k for x in range(3))
    k = 10
    return list(g)
print(f())
def h(n):
    gens = []
    for k in range(n):
        gens.append(x + k for x in range(2))
    return [list(g) for g in gens]
print(h(3))
def late():
    g = (x * m for x in range(2))
    try_it = 1
    m = 5
    return list(g)
print(late())
def early():
    g = (x * m for x in range(2))
    r = list(g)
    m = 5
    return r
print(early())
