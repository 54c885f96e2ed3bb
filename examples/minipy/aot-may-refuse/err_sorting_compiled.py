# Sorting in compiled code: xs.sort() (with reverse=), xs.reverse(), sorted(xs) of ints
# and of bools, lists a function is given (sorted where they are) and lists it made, and
# lists the compiled code cannot sort (mixed kinds: the interpreter sorts them).

def median(xs):
    ys = sorted(xs)
    n = len(ys)
    if n % 2:
        return ys[n // 2]
    return (ys[n // 2 - 1] + ys[n // 2]) // 2


def sort_in_place(xs, down):
    xs.sort(reverse=down)
    return xs[0] - xs[-1]


def flip(xs):
    xs.reverse()
    t = 0
    for i in range(len(xs)):
        t = t * 3 + xs[i] * (i + 1)
    return t


def top_k(xs, k):
    ys = [x * x % 97 for x in xs]
    ys.sort()
    ys.reverse()
    return sum(ys[:k])


def kth_gap(xs):
    ys = sorted(xs)
    best = 0
    for i in range(1, len(ys)):
        if ys[i] - ys[i - 1] > best:
            best = ys[i] - ys[i - 1]
    return best


total = 0
data = [(i * 7919) % 1009 for i in range(300)]
for rep in range(100):
    xs = data[rep:rep + 50]
    total += median(xs) + sort_in_place(xs, rep % 2 == 0) + flip(xs[:10]) + top_k(xs, 5)
    total += kth_gap(xs) + median([True, False, rep % 3 == 0])
print(total)
a = [3, 1, 2]
print(sort_in_place(a, False), a, sort_in_place(a, True), a)
b = [True, False, True]
print(sort_in_place(b, False), b, flip(b), b)
c = [2, True, 0]
print(sort_in_place(c, False), c, median(c), sorted([5, 4, True]))
print(median([]))
