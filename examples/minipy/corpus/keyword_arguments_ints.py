# Keyword arguments with ints only, so that every mode compiles them — ahead of time too:
# in order, out of order, mixed with positional ones, skipping int defaults.
def total(a, b, c=10, d=0):
    return a + 2 * b + 3 * c + 4 * d


def depth(n, step=1, acc=0):
    if n <= 0:
        return acc
    return depth(n - step, acc=acc + n, step=step)


print(total(1, 2), total(b=1, a=2), total(1, d=5, b=3), total(c=1, d=2, a=3, b=4))
s = 0
for i in range(3000):
    s += total(c=i % 5, a=i, b=1) + total(i, b=i % 3, d=2)
print(s)
print(depth(100), depth(100, step=3), depth(n=50, acc=7))
