# Ordinary helpers that change the lists they are given: sorting in place, filling
# tables, a stack-driven search.

def insertion_sort(a):
    for i in range(1, len(a)):
        x = a[i]
        j = i - 1
        while j >= 0 and a[j] > x:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = x


def bubble(a):
    n = len(a)
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]


def prefix_sums(a, out):
    t = 0
    for i in range(len(a)):
        t += a[i]
        out.append(t)


def reachable(adj, start, seen):
    stack = [start]
    count = 0
    while stack:
        u = stack.pop()
        if seen[u]:
            continue
        seen[u] = True
        count += 1
        for v in adj[u]:
            if not seen[v]:
                stack.append(v)
    return count


n = 2500
a = [(i * 7919) % 10007 for i in range(n)]
insertion_sort(a)
b = [(i * 104729) % 10007 for i in range(n)]
bubble(b)
print(a == b, a[:3], a[-3:])
out = []
prefix_sums(a, out)
print(out[-1], len(out))
m = 200000
adj = [[(i * 3 + 1) % m, (i * 7 + 2) % m, (i + 1) % m] for i in range(m)]
seen = [False] * m
print(reachable(adj, 0, seen))
