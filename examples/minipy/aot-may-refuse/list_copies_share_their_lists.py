def bubble_sort(items):
    items = list(items)
    n = len(items)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if items[j] > items[j + 1]:
                items[j], items[j + 1] = items[j + 1], items[j]
                swapped = True
        if not swapped:
            break
    return items


def bump_copy(grid):
    g = list(grid)
    for r in g:
        r[0] += 1
    return len(g)


def bump_overflow(grid, k):
    g = list(grid)
    t = 0
    for r in g:
        r[0] += k
        t += r[0] * k
    return t


data = [(i * 7919) % 1000 for i in range(300)]
s = bubble_sort(data)
print(s[:5], data[:5])
grid = [[i, i + 1] for i in range(5)]
print(bump_copy(grid), grid)
print(bump_copy(grid), grid)
print(bump_overflow(grid, 2**40), grid)
print(bubble_sort([3, 2**70, 1, True]))
