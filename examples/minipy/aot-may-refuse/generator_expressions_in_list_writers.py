# A function that writes into the list it is given, with a generator expression and a
# comprehension whose sums pass 64 bits part way: it hands its frame over before the call.
def fill(out, n):
    for i in range(n):
        out[i] = sum(x * x * x * x * x * x for x in range(i * 300))
    return out[n - 1]

def fill2(out, n):
    for i in range(n):
        out[i] = sum([x * x * x * x * x * x for x in range(i * 300)])
    return out[n - 1]

t = 0
for r in range(30):
    t += fill([0] * 5, 5) + fill2([0] * 5, 5)
print(t)
o = [0] * 12
print(fill(o, 12))
print(o)
o = [0] * 12
print(fill2(o, 12))
print(o)
