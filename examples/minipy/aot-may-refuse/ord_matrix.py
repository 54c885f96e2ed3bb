def mat_mul(a, b):
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]


def identity(n):
    return [[int(i == j) for j in range(n)] for i in range(n)]


def mat_pow(m, k):
    result = identity(len(m))
    while k:
        if k & 1:
            result = mat_mul(result, m)
        m = mat_mul(m, m)
        k >>= 1
    return result


def det(m):
    if len(m) == 1:
        return m[0][0]
    total = 0
    for j, x in enumerate(m[0]):
        minor = [row[:j] + row[j + 1:] for row in m[1:]]
        total += (-1) ** j * x * det(minor)
    return total


fibm = [[1, 1], [1, 0]]
print(mat_pow(fibm, 10))
print(mat_pow(fibm, 100)[0][1])
a = [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]
print(det(a), det([[1, 2], [3, 4]]), det(identity(4)))
t = [list(r) for r in zip(*a)]
print(t == a, mat_mul(a, identity(3)) == a)
for row in mat_mul(a, a):
    print(*row, sep="\t")
