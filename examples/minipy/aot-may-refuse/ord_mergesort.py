def merge_sort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    left = merge_sort(xs[:mid])
    right = merge_sort(xs[mid:])
    merged = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            j += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged


def quick_sort(xs):
    if len(xs) < 2:
        return xs
    pivot = xs[len(xs) // 2]
    less = [x for x in xs if x < pivot]
    equal = [x for x in xs if x == pivot]
    more = [x for x in xs if x > pivot]
    return quick_sort(less) + equal + quick_sort(more)


seed = 12345
data = []
for _ in range(200):
    seed = (seed * 1103515245 + 12345) % 2**31
    data.append(seed % 1000 - 500)
a = merge_sort(data)
b = quick_sort(data)
print(a == b == sorted(data))
print(a[:10], a[-5:])
words = "the quick brown fox jumps over the lazy dog".split()
print(merge_sort(words))
print(quick_sort([(2, "b"), (1, "z"), (2, "a"), (1, "a")]))
