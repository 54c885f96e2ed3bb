INF = float_inf = 10 ** 18
edges = [
    ("A", "B", 4), ("A", "C", 2), ("B", "C", 5), ("B", "D", 10),
    ("C", "E", 3), ("E", "D", 4), ("D", "F", 11), ("E", "F", 20),
]
names = sorted({a for a, _, _ in edges} | {b for _, b, _ in edges})
idx = {n: i for i, n in enumerate(names)}
n = len(names)
dist = [[0 if i == j else INF for j in range(n)] for i in range(n)]
nxt = [[None] * n for _ in range(n)]
for a, b, w in edges:
    i, j = idx[a], idx[b]
    dist[i][j] = dist[j][i] = w
    nxt[i][j], nxt[j][i] = j, i
for k in range(n):
    for i in range(n):
        for j in range(n):
            if dist[i][k] + dist[k][j] < dist[i][j]:
                dist[i][j] = dist[i][k] + dist[k][j]
                nxt[i][j] = nxt[i][k]

def path(a, b):
    i, j = idx[a], idx[b]
    if nxt[i][j] is None:
        return []
    out = [a]
    while i != j:
        i = nxt[i][j]
        out.append(names[i])
    return out

print("    " + "".join(f"{x:>4}" for x in names))
for i, row in enumerate(dist):
    print(f"{names[i]:>4}" + "".join(f"{d:>4}" for d in row))
for a, b in [("A", "F"), ("B", "E"), ("F", "A")]:
    p = path(a, b)
    print(a, b, "->".join(p), dist[idx[a]][idx[b]])
