deps = {
    "app": ["lib", "utils", "config"],
    "lib": ["utils", "core"],
    "utils": ["core"],
    "config": [],
    "core": [],
    "tests": ["app", "mock"],
    "mock": ["core"],
}

def topo_order(graph):
    indeg = {node: 0 for node in graph}
    users = {node: [] for node in graph}
    for node, needs in graph.items():
        for dep in needs:
            indeg[node] += 1
            users[dep].append(node)
    ready = sorted(n for n, d in indeg.items() if d == 0)
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for user in sorted(users[node]):
            indeg[user] -= 1
            if indeg[user] == 0:
                ready.append(user)
        ready.sort()
    if len(order) != len(graph):
        cyclic = [n for n in graph if indeg[n] > 0]
        raise ValueError("cycle among " + ", ".join(sorted(cyclic)))
    return order

order = topo_order(deps)
print(" -> ".join(order))
position = {name: i for i, name in enumerate(order)}
for node, needs in deps.items():
    for d in needs:
        assert position[d] < position[node], (d, node)
print("levels:")
level = {}
for node in order:
    level[node] = 1 + max((level[d] for d in deps[node]), default=-1)
for lv in range(max(level.values()) + 1):
    print(lv, sorted(k for k, v in level.items() if v == lv))
deps["core"].append("tests")
topo_order(deps)
