# A 100x100 matrix product on lists of lists, ints, five times.
def matmul(a, b, n):
    c = [[0] * n for _ in range(n)]
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for k in range(n):
            aik = ai[k]
            bk = b[k]
            for j in range(n):
                ci[j] += aik * bk[j]
    return c


n = 100
a = [[(i * j + 1) % 17 for j in range(n)] for i in range(n)]
b = [[(i + 2 * j) % 13 for j in range(n)] for i in range(n)]
for _ in range(5):
    c = matmul(a, b, n)
print(sum(sum(row) for row in c), c[7][42])
