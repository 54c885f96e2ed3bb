# `while i < len(xs)` loops, the way many people write them: the length asked in every
# turn, items read by index, lists of machine ints and lists of values, and sums that
# outgrow 64 bits partway. Compiled code asks once what it knows already (the call depth,
# the list's kind); the answers must stay CPython's.


def total(xs):
    t = 0
    i = 0
    while i < len(xs):
        t += xs[i]
        i += 1
    return t


def count_runs(xs):
    runs = 0
    i = 0
    while i < len(xs):
        j = i
        while j < len(xs) and xs[j] == xs[i]:
            j += 1
        runs += 1
        i = j
    return runs


def weave(a, b):
    out = []
    i = 0
    while i < len(a) and i < len(b):
        out.append(a[i] * 2 + b[i])
        i += 1
    return out


ints = [k * 7 % 11 for k in range(500)]
for _ in range(50):
    t = total(ints)
print("total", t, total([]), total([5]))

runs = [k // 3 for k in range(300)]
for _ in range(50):
    r = count_runs(runs)
print("runs", r, count_runs([1, 1, 2, 2, 2, 1]), count_runs([]))

for _ in range(50):
    w = weave(ints, runs)
print("weave", len(w), sum(w), w[:6])

# A list of values (a string among the ints turns it into one), then ints past 64 bits.
mixed = [1, 2, 3] * 40
mixed.append("x")
mixed.pop()
print("mixed", total(mixed))
big = [2**62, 2**62, 2**62, 1]
print("big", total(big), total(big * 3))
