def sift_down(heap, start, end):
    root = start
    while True:
        child = 2 * root + 1
        if child > end:
            return
        if child + 1 <= end and heap[child] < heap[child + 1]:
            child += 1
        if heap[root] < heap[child]:
            heap[root], heap[child] = heap[child], heap[root]
            root = child
        else:
            return


def heap_sort(items):
    a = list(items)
    n = len(a)
    for start in range((n - 2) // 2, -1, -1):
        sift_down(a, start, n - 1)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]
        sift_down(a, 0, end - 1)
    return a


def shell_sort(items):
    a = items[:]
    gap = len(a) // 2
    while gap:
        for i in range(gap, len(a)):
            tmp = a[i]
            j = i
            while j >= gap and a[j - gap] > tmp:
                a[j] = a[j - gap]
                j -= gap
            a[j] = tmp
        gap //= 2
    return a


def counting_sort(items, hi):
    counts = [0] * (hi + 1)
    for x in items:
        counts[x] += 1
    out = []
    for value, c in enumerate(counts):
        out.extend([value] * c)
    return out


def radix_sort(items):
    a = list(items)
    place = 1
    while a and place <= max(a):
        buckets = [[] for _ in range(10)]
        for x in a:
            buckets[(x // place) % 10].append(x)
        a = [x for b in buckets for x in b]
        place *= 10
    return a


x = 2024
data = []
for _ in range(500):
    x = (x * 69069 + 1) % 4294967296
    data.append(x % 1000)
expect = sorted(data)
for name, fn in [("heap", heap_sort), ("shell", shell_sort), ("radix", radix_sort)]:
    out = fn(data)
    print(name, out == expect, out[:8], out[-3:])
print("counting", counting_sort(data, 999) == expect)
words = ["pear", "fig", "banana", "kiwi", "apple", "date"]
print(heap_sort(words), shell_sort(words))
