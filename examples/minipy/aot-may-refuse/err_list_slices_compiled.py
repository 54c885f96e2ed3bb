# List slices in compiled code: halves for a merge sort, steps, negative bounds, bounds
# past the ends, a zero step (ValueError, as CPython raises it).

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
    while i < len(left):
        merged.append(left[i])
        i += 1
    while j < len(right):
        merged.append(right[j])
        j += 1
    return merged


def windows(xs, k):
    best = 0
    for i in range(len(xs) - k + 1):
        w = xs[i:i + k]
        t = 0
        for v in w:
            t += v
        if t > best:
            best = t
    return best


def shapes(xs, a, b, s):
    return len(xs[a:b:s]) * 1000 + len(xs[::-1]) + len(xs[-a:]) + len(xs[:-b])


def tail_sum(rows, k):
    t = 0
    for r in rows[k:]:
        t += len(r[1:])
    return t


data = [(i * 7919) % 1000 for i in range(2000)]
s = merge_sort(data)
print(s[:5], s[-3:], len(s))
t = 0
for rep in range(50):
    t += windows(data[rep:rep + 100], 7) + shapes(data, rep % 9 - 4, rep % 5 + 1, rep % 3 + 1)
    t += shapes([True, False, True], 1, 2, -1) + tail_sum([[1, 2], [3], [], [4, 5, 6]], rep % 3)
print(t)
print(data[10:2:-3], data[5:3], [[1], [2]][1:], [True, False][::-1])
print(shapes(data, 1, 2, 0))
