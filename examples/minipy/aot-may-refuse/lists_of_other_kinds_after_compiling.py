# Code compiled for a list of one kind, then handed lists of other kinds (machine ints,
# bools kept a byte each, values of mixed kinds, empty): each is read as it keeps its
# items, or the code gives up and the interpreter goes on — never an empty-looking list.

def total(xs):
    t = 0
    for x in xs:
        t += x
    return t


def total_gen(xs):
    return sum(x for x in xs)


def best(xs):
    return max(x for x in xs)


lists = [[True, False] * 3, [2**63 - 1, 1], [1, 2], [True] * 4, [5, True], [], [2**62, 2**62]]
for rep in range(3):
    for xs in lists:
        print(total(xs), total_gen(xs), sum(x for x in xs), best(xs) if xs else None)
        print(max(x for x in xs) if xs else -1, any(x for x in xs), all(x for x in xs))
