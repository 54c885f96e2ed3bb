# Lists of bools, which minipy keeps a byte an item, behave as any list: read, written,
# grown, compared, sorted, printed, and turned into lists of values when another kind
# is stored in them — in functions the JIT compiles and in the interpreter.


def primes_upto(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    return [k for k in range(n + 1) if flags[k]]


def count_true(flags):
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


def from_the_end(flags, k):
    flags[-k] = not flags[-k]
    return flags[-1]


def marked_from_the_end(n, k):
    flags = [False] * n
    flags[-k] = True
    return [flags[-1], flags[-k], flags[k - 1], flags[0]]


def total_by_index(xs):
    t = 0
    for i in range(len(xs)):
        t += xs[i]
    return t


def total_by_item(xs):
    t = 0
    for x in xs:
        t += x
    return t


def total_of_rows(rows):
    t = 0
    for r in range(len(rows)):
        row = rows[r]
        for j in range(len(row)):
            t += row[j]
    return t


def toggle_all(flags):
    for i in range(len(flags)):
        flags[i] = not flags[i]
    return flags


print(primes_upto(60))
for size in (1, 2, 7, 100):
    print(size, len(primes_upto(size)))

seen = [False] * 10
for x in [3, 1, 4, 1, 5, 9, 2, 6]:
    seen[x] = True
print(seen, count_true(seen), sum(seen))
print(from_the_end(seen, 1), from_the_end(seen, 10), seen[0])
print(toggle_all([True, False] * 3))

pattern = [True, False, False] * 3
print(pattern, len(pattern), pattern.count(False), pattern.index(False))
print(pattern[::-1], pattern[2:7:2], pattern[-2:], pattern[100:])
print(pattern == [True, False, False] * 3, pattern != [True] * 9, pattern < [True, True])
print(sorted(pattern), sorted(pattern, reverse=True)[:4])
print(pattern + [1, 2], pattern * 0, [False] * -3, 2 * [True])
print(True in pattern, 0 in pattern, 5 in pattern, list(reversed(pattern))[:3])
print(tuple(pattern[:3]), set(pattern), any(pattern), all(pattern))
print([int(b) for b in pattern], [i for i, b in enumerate(pattern) if b])

grid = [[False] * 4 for _ in range(3)]
grid[1][2] = True
grid[-1][-1] = True
for row in grid:
    print(row, row.count(True))
print(grid)

flags = [False] * 5
flags.append(True)
flags.extend([False, True])
print(flags, len(flags))
flags.insert(0, True)
flags.pop()
flags.remove(False)
print(flags)
flags[2] = 7
print(flags, sum(flags))
flags[3:5] = ["a", None]
print(flags)
del flags[0]
print(flags, flags.pop(0))

ones = [True] * 4
ones.sort()
ones.reverse()
print(ones, ones.copy(), list(ones), ones[:])
same = ones
same[0] = False
print(ones, same is ones)
ones *= 2
print(ones)
mixed = [True] * 3
mixed += [0]
print(mixed, mixed == [1, 1, 1, False])
d = {}
for i, b in enumerate([True, False, True]):
    d[b] = d.get(b, 0) + i
print(d, [b for b in [False] * 3 if not b])

try_index = [False] * 3
print(try_index[2], try_index[-3])
# Compiled for lists of ints first, then given lists of bools (kept as bytes): the
# compiled code finds no items where values would be and hands the call back.
print(total_by_index([1, 2, 3]), total_by_index([True] * 4), total_by_index([5]))
print(total_by_item([1, 2, 3]), total_by_item([True, False] * 3), total_by_item([]))
print(total_of_rows([[1, 2], [3]]), total_of_rows([[1, 2], [True] * 3, [4]]))
print(marked_from_the_end(5, 2), marked_from_the_end(3, 3), marked_from_the_end(1, 1))
print(marked_from_the_end(3, 4))
