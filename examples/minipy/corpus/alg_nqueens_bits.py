def solve(n, row, cols, d1, d2):
    if row == n:
        return 1
    count = 0
    avail = ((1 << n) - 1) & ~(cols | d1 | d2)
    while avail:
        bit = avail & -avail
        avail -= bit
        count += solve(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1)
    return count
for n in range(1, 9):
    print(n, solve(n, 0, 0, 0, 0))
