parent = list(range(10))
rank = [0] * 10


def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def union(a, b):
    ra, rb = find(a), find(b)
    if ra == rb:
        return False
    if rank[ra] < rank[rb]:
        ra, rb = rb, ra
    parent[rb] = ra
    if rank[ra] == rank[rb]:
        rank[ra] += 1
    return True


pairs = [(0, 1), (2, 3), (1, 3), (4, 5), (6, 7), (5, 7), (8, 9), (0, 3), (9, 8)]
print([union(a, b) for a, b in pairs])
groups = {}
for x in range(10):
    groups.setdefault(find(x), []).append(x)
print(sorted(groups.values()))
edges = sorted([(4, 0, 1), (8, 0, 7), (11, 1, 7), (8, 1, 2), (7, 7, 8), (1, 7, 6), (2, 2, 8),
                (6, 8, 6), (4, 2, 5), (2, 6, 5), (7, 2, 3), (14, 3, 5), (9, 3, 4), (10, 5, 4)])
parent = list(range(9))
rank = [0] * 9
tree = [(u, v, w) for w, u, v in edges if union(u, v)]
print(tree, sum(w for _, _, w in tree))
