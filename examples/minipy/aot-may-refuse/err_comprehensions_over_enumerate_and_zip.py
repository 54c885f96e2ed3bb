# Comprehensions and generator expressions over enumerate() and zip() of lists, inside
# compiled functions: no iterator and no pairs made — lists of other lengths and kinds,
# starts, cells, nested clauses, a sum past 64 bits part way, and the same code made where
# the interpreter runs it.

def dot(xs, ys):
    return sum(x * y for x, y in zip(xs, ys))


def scaled(xs, k):
    return [i * x + k for i, x in enumerate(xs)]


def best(xs, k):
    return max(v - i * k for i, v in enumerate(xs, 1))


def diffs(xs):
    return [b - a for a, b in zip(xs, xs[1:])]


def flat(rows):
    return [i * x for row in rows for i, x in enumerate(row)]


def pick(flags, xs):
    return [x for f, x in zip(flags, xs) if f]


def close(xs, ys, tol):
    return all(abs(a - b) <= tol for a, b in zip(xs, ys))


def firsts(rows):
    return list(r[0] + i for i, r in enumerate(rows) if r)


def grows(xs):
    return sum(x ** 7 * i for i, x in enumerate(xs))


total = 0
data = [(i * 37) % 101 for i in range(200)]
for rep in range(100):
    xs = data[rep:rep + 40]
    total += dot(xs, xs[::-1]) + sum(scaled(xs, rep)) + best(xs, rep % 5) + sum(diffs(xs))
    total += sum(flat([xs[:3], [], xs[5:9]])) + len(pick([True, False] * 10, xs))
    total += close(xs, xs[1:], 60) + sum(firsts([xs[:2], [], [rep]])) + grows(xs[:3])
print(total)
print(dot([1, 2, 3], [4]), scaled([], 3), best([7], 2), diffs([5]), flat([[True, 2]]))
print(pick([1, 0, 1], [9, 8, 7, 6]), close([1], [], 0), firsts([[], [4, 5]]), grows([300, 400]))
print(dot([True, False], [5, 6]), [a * b for a, b in zip(data, data)][-1])
print(sum(i * x for i, x in enumerate(data)), list(x + y for x, y in zip(data, data[3:]))[:4])
print(max(x - y for x, y in zip([1, 2], [3, 4, 5])), best([], 1))
