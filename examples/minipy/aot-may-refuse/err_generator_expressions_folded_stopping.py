# A generator expression a builtin folds, stopping part way: the interpreter raises where
# CPython does, with the generator's frame in the traceback.

def ratio(xs, d):
    return sum(x // d for x in xs if x > 0)

def least(xs, lim):
    return min(x for x in xs if x < lim)

def checks(xs):
    return all(x % 3 for x in xs)

total = 0
for i in range(200):
    total += ratio([i, i + 1, -3], 2) + least([5, 3, 8], 6) + checks([1, 2, i % 3 + 4])
print(total)
print(checks([1, 2, 3]), least([9, 2, 2, 7], 100))
try_later = least([4, 5], 9)
print(try_later)
print(least([7, 8], 3))
