# Loops entered in the middle (on-stack replacement) inside `for x in xs` loops: the
# iterator over the list is on the stack where the inner loop starts.

def row_sums(grid):
    out = []
    for row in grid:
        t = 0
        for j in range(len(row)):
            t += row[j]
        out.append(t)
    return out


def scale_rows(grid, k):
    for row in grid:
        for j in range(len(row)):
            row[j] *= k


def squares(xs):
    t = 0
    for x in xs:
        t += x * x
    return t


def first_big(rows):
    for r in rows:
        for x in r:
            if x > 1000:
                return x
    return -1


g = [[i * j for j in range(60)] for i in range(50)]
print(row_sums(g)[-3:])
scale_rows(g, 3)
print(g[5][:5])
scale_rows(g, 2**50)
print(g[49][59], g[0][1], g[20][20], g[1][:3])
print(row_sums(g)[-2:])
print(squares(list(range(20000))))
print(squares([1, 2, 2**31, 5] * 300))
print(squares([1] * 3000 + [2**70] + [3] * 50))
print(first_big([[1, 2, 3]] * 2000 + [[5, 2000, 7]]))
flags = [True, False] * 3000
print(squares(flags))
