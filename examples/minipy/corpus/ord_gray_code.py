def gray(n):
    return n ^ (n >> 1)


def from_gray(g):
    n = 0
    while g:
        n ^= g
        g >>= 1
    return n


previous = gray(0)
ok = True
for i in range(1, 64):
    g = gray(i)
    changed = g ^ previous
    if changed & (changed - 1) != 0 or from_gray(g) != i:
        ok = False
    previous = g
    if i < 8:
        print(i, g)
print("one bit changes each step:", ok)
