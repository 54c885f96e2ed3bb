def ndigits(n):
    c = 0
    while n:
        c += 1
        n //= 10
    return c
for n in range(1, 100000):
    k = ndigits(n)
    s = 0
    m = n
    while m:
        s += (m % 10) ** k
        m //= 10
    if s == n:
        print(n)
