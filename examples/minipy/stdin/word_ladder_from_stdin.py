import sys

data = sys.stdin.read().split()
n = int(data[0])
words = data[1:n + 1]
queries = [(data[i], data[i + 1]) for i in range(n + 1, len(data) - 1, 2)]


def neighbours(w, known):
    found = []
    for i in range(len(w)):
        for c in "abcdefghijklmnopqrstuvwxyz":
            if c != w[i]:
                v = w[:i] + c + w[i + 1:]
                if v in known:
                    found.append(v)
    return found


def ladder(a, b, known):
    prev = {a: None}
    frontier = [a]
    while frontier and b not in prev:
        nxt = []
        for w in frontier:
            for v in neighbours(w, known):
                if v not in prev:
                    prev[v] = w
                    nxt.append(v)
        frontier = nxt
    if b not in prev:
        return None
    path = [b]
    while prev[path[-1]] is not None:
        path.append(prev[path[-1]])
    return path[::-1]


known = set(words)
for a, b in queries:
    path = ladder(a, b, known)
    print(f"{a} -> {b}:", " ".join(path) if path else "no ladder")
