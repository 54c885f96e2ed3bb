# A folded generator expression that raises inside its own frame, in a function that
# changes a list it is given, next to closures the JIT leaves alone.

def fill(out, n, k):
    for i in range(n):
        out.append(sum(x for x in range(i) if x % k == 0))
    return len(out)

def fill_plain(out, n):
    for i in range(n):
        out.append(sum(x for x in range(i)))
    return out[-1]

def last_big(xs):
    y = xs[-1]
    found = any(x > y for x in xs)
    return found, y

def adder(n):
    def add(v):
        return v + n
    return sum(add(x) for x in range(n))

def spread(xs, d):
    return max(x // d for x in xs)

acc = []
t = 0
for i in range(150):
    t += fill(acc, 30, 4) + fill_plain([], 20)
    t += adder(i % 10)
    f, y = last_big([3, 12, i])
    t += f + y + spread([i, 7, 2], 3)
print(t, len(acc), acc[:5])
print(spread([5, 6], 0))
