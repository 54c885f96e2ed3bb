from_seed = 12345

def lcg(seed):
    values = []
    x = seed
    for _ in range(40):
        x = (x * 1103515245 + 12345) % 2 ** 31
        values.append(x % 100)
    return values


def lis(seq):
    n = len(seq)
    length = [1] * n
    parent = [-1] * n
    for i in range(n):
        for j in range(i):
            if seq[j] < seq[i] and length[j] + 1 > length[i]:
                length[i] = length[j] + 1
                parent[i] = j
    end = max(range(n), key=lambda k: length[k])
    out = []
    while end != -1:
        out.append(seq[end])
        end = parent[end]
    return out[::-1]


data = lcg(from_seed)
print(data)
best = lis(data)
print(len(best), best)
assert all(a < b for a, b in zip(best, best[1:]))
print(lis([5, 4, 3, 2, 1]), lis([1, 2, 3]), lis([3, 1, 2, 1, 8, 5, 6]))
