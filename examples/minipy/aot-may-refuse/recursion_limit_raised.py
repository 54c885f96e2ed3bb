# A depth-first walk of a long path: deeper than CPython's default limit of 1000.
import sys

sys.setrecursionlimit(20000)


def build_chain(n):
    return {i: [i + 1] if i + 1 < n else [] for i in range(n)}


def depth_first(graph, node, seen):
    seen.add(node)
    longest = 0
    for nxt in graph[node]:
        if nxt not in seen:
            longest = max(longest, 1 + depth_first(graph, nxt, seen))
    return longest


graph = build_chain(8000)
print(depth_first(graph, 0, set()), sys.getrecursionlimit())


def count_down(n):
    return 0 if n == 0 else 1 + count_down(n - 1)


print(sum(count_down(k) for k in [10, 1500, 12000]))
