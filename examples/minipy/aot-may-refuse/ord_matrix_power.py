# Matrix utilities with nested lists
def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def power(m, e):
    result = identity(len(m))
    while e:
        if e & 1:
            result = matmul(result, m)
        m = matmul(m, m)
        e >>= 1
    return result


fib_m = [[1, 1], [1, 0]]
for n in (1, 10, 50, 100):
    print(n, power(fib_m, n)[0][1])
grid = [[r * 3 + c for c in range(3)] for r in range(3)]
for row in grid:
    print(" ".join(f"{v:2}" for v in row))
print([list(col) for col in zip(*grid)])
