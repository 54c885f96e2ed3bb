def main():
    n = 60
    a = [[(i * j) % 7 for j in range(n)] for i in range(n)]
    b = [[(i + j) % 5 for j in range(n)] for i in range(n)]
    print("multiplying", n, "x", n)
    c = [[0] * n for _ in range(n)]
    for i in range(n):
        ci = c[i]
        ai = a[i]
        for k in range(n):
            aik = ai[k]
            bk = b[k]
            for j in range(n):
                ci[j] += aik * bk[j]
    print("trace", sum(c[i][i] for i in range(n)))
    for row in c[:3]:
        print(row[:8])
    total = 0
    for i in range(n):
        for j in range(n):
            total += c[i][j] * (i - j)
    print("weighted", total)


main()
