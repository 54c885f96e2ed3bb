def permutations(items):
    if len(items) <= 1:
        return [items[:]]
    out = []
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            out.append([items[i]] + p)
    return out


def combinations(items, k):
    if k == 0:
        return [[]]
    if len(items) < k:
        return []
    first, rest = items[0], items[1:]
    return [[first] + c for c in combinations(rest, k - 1)] + combinations(rest, k)


def powerset(items):
    result = [[]]
    for x in items:
        result += [s + [x] for s in result]
    return result


print(permutations([1, 2, 3]))
print(len(permutations(list(range(6)))))
print(combinations("abcd", 2))
print(["".join(c) for c in combinations(list("abcde"), 3)])
print(sorted(powerset([1, 2, 3]), key=lambda s: (len(s), s)))
words = ["".join(p) for p in permutations(list("tea"))]
print(sorted(set(words)))
target = 10
print([c for c in combinations([1, 2, 3, 4, 5, 6, 7], 3) if sum(c) == target])


def next_permutation(seq):
    a = list(seq)
    i = len(a) - 2
    while i >= 0 and a[i] >= a[i + 1]:
        i -= 1
    if i < 0:
        return None
    j = len(a) - 1
    while a[j] <= a[i]:
        j -= 1
    a[i], a[j] = a[j], a[i]
    a[i + 1:] = reversed(a[i + 1:])
    return a


p = [1, 2, 3, 4]
count = 0
while p:
    count += 1
    last = p
    p = next_permutation(p)
print(count, last)
