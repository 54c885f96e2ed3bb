import_free = True

def prim(n, adj):
    in_tree = [False] * n
    best = [None] * n
    parent = [-1] * n
    best[0] = 0
    total = 0
    tree = []
    for _ in range(n):
        u = -1
        for v in range(n):
            if not in_tree[v] and best[v] is not None and (u == -1 or best[v] < best[u]):
                u = v
        if u == -1:
            break
        in_tree[u] = True
        total += best[u]
        if parent[u] >= 0:
            tree.append((min(parent[u], u), max(parent[u], u), best[u]))
        for v, w in adj[u]:
            if not in_tree[v] and (best[v] is None or w < best[v]):
                best[v] = w
                parent[v] = u
    return total, sorted(tree)

n = 8
adj = [[] for _ in range(n)]
seed = 7
for a in range(n):
    for b in range(a + 1, n):
        seed = (seed * 48271) % 2147483647
        if seed % 3:
            w = seed % 50 + 1
            adj[a].append((b, w))
            adj[b].append((a, w))
total, tree = prim(n, adj)
print("weight", total)
for a, b, w in tree:
    print(f"  {a} - {b}: {w}")
print("edges:", sum(len(x) for x in adj) // 2)
