def stats(xs):
    return sum(xs) * 1000000 + max(xs) * 1000 + min(xs)


def best_window(xs, k):
    best = -1
    for i in range(len(xs) - k + 1):
        w = xs[i:i + k] if False else [xs[j] for j in range(i, i + k)]
        s = sum(w)
        if s > best:
            best = s
    return best


def count_members(xs, probes):
    c = 0
    for p in probes:
        if p in xs:
            c += 1
        if p not in xs:
            c -= 100
    return c


def flags_info(fl):
    return sum(fl), max(fl), min(fl), True in fl, 2 in fl


data = [(i * 37) % 101 for i in range(200)]
print(stats(data), best_window(data, 7), count_members(data, list(range(-5, 120))))
for r in range(3):
    print(stats([r, 5, -3]), count_members([True, 2, False], [0, 1, 2, 3]))
print(stats([2**62, 2**62, 1]))
print(stats([1, True, 5]))
print(max([True, 0, 1]), min([0, False]), sum([True, True]))
print(stats([7]))
print(count_members([2**70, 5], [5, 2**70 % 7]))
print(stats([]))
