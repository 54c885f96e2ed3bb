edges = [
    ("A", "B", 7), ("A", "C", 9), ("A", "F", 14), ("B", "C", 10), ("B", "D", 15),
    ("C", "D", 11), ("C", "F", 2), ("D", "E", 6), ("E", "F", 9),
]
graph = {}
for a, b, w in edges:
    graph.setdefault(a, []).append((b, w))
    graph.setdefault(b, []).append((a, w))


def dijkstra(source):
    dist = {node: None for node in graph}
    dist[source] = 0
    prev = {}
    todo = set(graph)
    while todo:
        node = min((n for n in todo if dist[n] is not None), key=lambda n: dist[n], default=None)
        if node is None:
            break
        todo.discard(node)
        for nxt, w in graph[node]:
            alt = dist[node] + w
            if dist[nxt] is None or alt < dist[nxt]:
                dist[nxt] = alt
                prev[nxt] = node
    return dist, prev


dist, prev = dijkstra("A")
for node in sorted(dist):
    path = [node]
    while path[-1] in prev:
        path.append(prev[path[-1]])
    print(f"{node}: {dist[node]:>3}  {' -> '.join(reversed(path))}")


def topo(deps):
    order, state = [], {}

    def visit(n):
        if state.get(n) == 1:
            raise_cycle = True
            return raise_cycle
        if state.get(n) == 2:
            return False
        state[n] = 1
        for m in deps.get(n, ()):
            if visit(m):
                return True
        state[n] = 2
        order.append(n)
        return False

    for n in sorted(deps):
        if visit(n):
            return None
    return order


print(topo({"app": ["lib", "log"], "lib": ["core"], "log": ["core"], "core": []}))
print(topo({"a": ["b"], "b": ["a"]}))
