def spiral(n):
    m = [[0] * n for _ in range(n)]
    r, c, dr, dc = 0, 0, 0, 1
    for k in range(1, n * n + 1):
        m[r][c] = k
        nr, nc = r + dr, c + dc
        if not (0 <= nr < n and 0 <= nc < n and m[nr][nc] == 0):
            dr, dc = dc, -dr
            nr, nc = r + dr, c + dc
        r, c = nr, nc
    return m


for row in spiral(5):
    print(" ".join(f"{x:2d}" for x in row))
m = spiral(7)
print([m[i][i] for i in range(7)])
t = list(zip(*m))
print(t[0])
print(sum(map(sum, m)))
