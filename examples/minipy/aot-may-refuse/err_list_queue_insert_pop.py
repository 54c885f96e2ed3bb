def bfs(adj, start):
    dist = [-1] * len(adj)
    dist[start] = 0
    queue = [start]
    while queue:
        u = queue.pop(0)
        for v in adj[u]:
            if dist[v] < 0:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


def insort_all(xs):
    out = []
    for x in xs:
        i = 0
        while i < len(out) and out[i] < x:
            i += 1
        out.insert(i, x)
    return out


def rotate(a, k):
    for _ in range(k):
        a.insert(0, a.pop())
        a.insert(len(a) + 5, a.pop(-2))
        a.insert(-100, a.pop(1))
    return a[0]


n = 3000
adj = [[(i * 3 + 1) % n, (i * 7 + 2) % n] for i in range(n)]
d = bfs(adj, 0)
print(max(d), d[:10], sum(d))
print(insort_all([(i * 7919) % 997 for i in range(400)])[:10])
r = list(range(20))
print(rotate(r, 7), r)
print(rotate([1, 2], 3))
e = [5, True, 2**70]
print(e.pop(1), e.pop(-1), e)
q = [1, 2]
print(rotate(q, 1), q)
bad = [1]
print(bad.pop(3))
