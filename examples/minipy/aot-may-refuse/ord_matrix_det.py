def det(m):
    """Determinant by Laplace expansion along the first row (exact ints)."""
    n = len(m)
    if n == 1:
        return m[0][0]
    if n == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    total = 0
    for col in range(n):
        minor = [row[:col] + row[col + 1:] for row in m[1:]]
        sign = -1 if col % 2 else 1
        total += sign * m[0][col] * det(minor)
    return total


def transpose(m):
    return [list(r) for r in zip(*m)]


def matmul(a, b):
    bt = transpose(b)
    return [[sum(x * y for x, y in zip(row, col)) for col in bt] for row in a]


def identity(n):
    return [[int(i == j) for j in range(n)] for i in range(n)]


def show(m):
    w = max(len(str(x)) for row in m for x in row)
    for row in m:
        print(" ".join(str(x).rjust(w) for x in row))


a = [[2, -3, 1], [2, 0, -1], [1, 4, 5]]
b = [[1, 2, 3], [0, 1, 4], [5, 6, 0]]
show(matmul(a, b))
print("det a =", det(a), "det b =", det(b), "det ab =", det(matmul(a, b)))
h = [[1 * 10 ** 20 // (i + j + 1) for j in range(5)] for i in range(5)]
print("hilbert-ish det:", det(h))
print(matmul(a, identity(3)) == a, transpose(transpose(b)) == b)
