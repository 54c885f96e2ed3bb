def f(a, b, c):
    t = 0
    n = 0
    for i in range(a, b, c):
        t += i % 1000
        n += 1
    return t * 1000 + n

M = 9223372036854775807

def show(a, b, c):
    print(a, b, c, f(a, b, c))

show(0, 10, 1)
show(10, 0, -1)
show(10, 0, -3)
show(0, 10, 3)
show(-5, 5, 2)
show(5, -5, -2)
show(M - 10, M, 3)
show(-M + 10, -M - 1, -4)
show(M - 5, M, 1)
show(-M - 1, -M + 5, 1)
show(-M + 5, -M - 1, -1)
show(3, 3, 1)
show(3, 3, -1)
show(0, 1, M)
show(0, -1, -M - 1)
show(M, -M - 1, -M - 1)
