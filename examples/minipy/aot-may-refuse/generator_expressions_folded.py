# Generator expressions folded by sum, any, all, min and max, in functions that run hot.

def sum_sq(n, k):
    return sum(x * x for x in range(n) if x % k == 0)

def any_over(xs, lim):
    return any(x > lim for x in xs)

def all_even(xs):
    return all(x % 2 == 0 for x in xs)

def tri(n):
    return sum(sum(j for j in range(i)) for i in range(n))

def pairs(n):
    return sum(i * j for i in range(n) for j in range(i) if (i + j) % 3)

def lo_hi(xs):
    return min(x for x in xs), max(x * 2 - 5 for x in xs)

def row_sums(grid):
    return max(sum(v for v in row) for row in grid)

def picks(xs, idx):
    return sum(xs[i] for i in idx)

def any_rows(grid):
    return any(row for row in grid), all(row for row in grid)

def bools(xs):
    return max(x > 3 for x in xs), min(x > 3 for x in xs)

def grows(n):
    # A sum that overflows 64 bits part way: the interpreter finishes it exactly.
    return sum(x ** 9 for x in range(n))

def outer_changes():
    t = 0
    for k in range(40):
        t += sum(x for x in range(50) if x > k)
        t += max(x - k for x in range(3))
    return t

def scaled(xs, k):
    return [x * k for x in xs]

def nested_lists(grid):
    return [[v + 1 for v in row] for row in grid]

total = 0
for rep in range(300):
    total += sum_sq(100, 3) + any_over([1, 2, rep % 7], 5) + all_even([2, 4, rep % 3 * 2])
    total += tri(20) + pairs(15)
    a, b = lo_hi([5, 3, 9, rep % 11])
    total += a + b + row_sums([[1, 2], [rep, 4], [5]])
    total += picks([10, 20, 30, 40], [0, 3, rep % 4])
    x, y = any_rows([[1], [], [rep]])
    total += x + y
    p, q = bools([1, 5, rep % 9])
    total += p + q + outer_changes()
    total += sum(scaled([1, 2, 3], rep)) + len(nested_lists([[1, 2], [rep]]))
print(total)
print(grows(60))
print(grows(2000) % 1000007)
print(sum_sq(10, 2), tri(5), pairs(6), lo_hi([7]), bools([9]))
print(scaled([True, False], 3), nested_lists([[], [1]]))
