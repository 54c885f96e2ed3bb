def grid_paths(rows, cols, memo):
    if rows == 0 or cols == 0:
        return 1
    key = (rows, cols)
    if key not in memo:
        memo[key] = grid_paths(rows - 1, cols, memo) + grid_paths(rows, cols - 1, memo)
    return memo[key]


memo = {}
print(grid_paths(16, 16, memo), len(memo))
print(grid_paths(40, 40, memo))
graph = {"a": ["b", "c"], "b": ["d"], "c": ["d", "e"], "d": ["f"], "e": ["f"], "f": []}


def reachable(start):
    seen = {start: 0}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for nxt in graph[node]:
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                frontier.append(nxt)
    return seen


print(reachable("a"))
print(sorted(reachable("c").items()), list(reachable("f").keys()))
inverse = {v: k for k, v in {"x": 1, "y": 2}.items()}
print(inverse, dict(zip("abc", range(3))), {} == dict())
