# Loops over ranges whose step is known only when they run — a sieve's `range(i * i, n, i)`,
# a walk down with a negative step, steps so large that the next index would pass 2**63 —
# and counts kept under a condition (`if flag: count += 1`). Compiled, the loop going up
# and the loop going down are separate copies, the index checks are asked once before a
# loop, and a conditional count is a sum of a chosen amount: every answer, every failing
# index and every count that outgrows 64 bits must still be CPython's.


def primes_below(n):
    sieve = [True] * n
    sieve[0] = sieve[1] = False
    i = 2
    while i * i < n:
        if sieve[i]:
            for j in range(i * i, n, i):
                sieve[j] = False
        i += 1
    count = 0
    for flag in sieve:
        if flag:
            count += 1
    return count


def mark(n, start, stop, step):
    xs = [1] * n
    for j in range(start, stop, step):
        xs[j] = 0
    return xs


def count_where(xs, k):
    below = 0
    zeros = 0
    for x in xs:
        if x < k:
            below += 1
        if not x:
            zeros -= 1
    return below * 1000 + zeros


def weighted(xs, w):
    total = 0
    for x in xs:
        if x % 3 == 0:
            total += w
        else:
            total -= 1
    return total


def walk_down(xs, step):
    seen = 0
    for j in range(len(xs) - 1, -1, step):
        seen = seen * 100 + xs[j]
    return seen


for n in [2, 3, 10, 100, 1000, 30000]:
    print(n, primes_below(n))

# Each case many times over, so that the functions run compiled.
for start, stop, step in [
    (1, 20, 3),
    (19, -1, -4),
    (19, 20, 2**63 - 5),
    (3, 20, 2**63 - 1),
    (0, 20, 1),
    (0, 20, 7),
    (-20, 20, 6),
    (2, 18, -1),
]:
    for r in range(40):
        got = mark(20, start, stop, step)
    print(start, stop, step, got.count(0), got)

for r in range(40):
    a = count_where([5, 0, 3, 9, 0, 1, 8], 4)
    b = count_where(list(range(-5, 500)), 250)
    c = weighted(list(range(30)), 7)
    d = walk_down(list(range(12)), -5)
print(a, b, c, d)
# The sum under the condition passes 2**63 partway: the total goes on as a big int.
for r in range(40):
    e = weighted(list(range(60)), 2**62)
    f = weighted(list(range(60)), -(2**62))
print(e, f)
print(walk_down(list(range(12)), -1))
print(walk_down([], -2))

# Indexes that fail: past the end going up, before the front going down.
for start, stop, step in [(0, 25, 4), (19, -30, -7), (3, 30, 9)]:
    for r in range(40):
        if start > 0:
            got = mark(20, start, 20, step)
    print(got)
    print(mark(20, start, stop, step))
