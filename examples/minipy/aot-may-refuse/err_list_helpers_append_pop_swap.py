def collect(out, n):
    x = 1
    for i in range(n):
        out.append(x)
        x *= 5
    return len(out)

o = [1]
print(collect(o, 40), o[-3:], len(o))


def drain(stack):
    total = 0
    while True:
        total += stack.pop()
        if total > 10**6:
            return total


s = list(range(100))
print(drain(s) if False else 0)
s2 = [10**5] * 20
print(drain(s2), len(s2))


def bubble(a):
    n = len(a)
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]


c = [(i * 7919) % 1000 for i in range(300)]
bubble(c)
print(c[:5], c[-5:])
d = [5, 3, 2**70, 1, 2**65, 0]
bubble(d)
print(d)


def rotate3(a):
    for i in range(0, len(a) - 2, 3):
        a[i], a[i + 1], a[i + 2] = a[i + 2], a[i], a[i + 1]
    return a[0]


e = list(range(30))
print(rotate3(e), e[:9])


def stack_sum(n):
    st = []
    for i in range(n):
        st.append(i)
    t = 0
    while st:
        t += st.pop()
    return t


print(stack_sum(1000))


def dfs(adj, start, seen):
    stack = [start]
    order = 0
    while stack:
        u = stack.pop()
        if seen[u]:
            continue
        seen[u] = True
        order += 1
        for v in adj[u]:
            if not seen[v]:
                stack.append(v)
    return order


adj = [[(i + 1) % 50, (i * 7) % 50] for i in range(50)]
seen = [False] * 50
print(dfs(adj, 0, seen), seen.count(True))


def empty_pop(a):
    t = 0
    for i in range(10):
        t += a.pop()
    return t


print(empty_pop([1, 2, 3]))
