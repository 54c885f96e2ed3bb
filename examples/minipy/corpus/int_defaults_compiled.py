# Int default parameter values, left out and passed, in compiled code: a recursion that
# carries an accumulator, a loop hot enough to be replaced mid-run, and callers that pass
# every argument, some or none.
def walk(n, acc=0):
    if n == 0:
        return acc
    return walk(n - 1, acc + n % 7)


def span(lo=0, hi=10, step=1):
    total = 0
    for i in range(lo, hi, step):
        total += i * i
    return total


def scaled(x, factor=3, offset=-4):
    return x * factor + offset


t = 0
for i in range(2000):
    t += walk(i % 50) + scaled(i) + scaled(i, 2) + scaled(i, 1, 0)
print(t)
print(span(), span(5), span(0, 3000), span(1, 3000, 7))
print(walk(10), walk(10, 100), scaled(7), scaled(7, 0), scaled(7, -1, 1))
