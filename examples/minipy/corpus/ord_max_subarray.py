# Kadane over a sequence generated on the fly.
def value(i):
    return (i * 37 + 11) % 23 - 11


best = value(0)
current = 0
for i in range(60):
    v = value(i)
    current = max(v, current + v)
    best = max(best, current)
print(best)
