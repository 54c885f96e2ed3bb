# range() loops whose start, stop or step are past 64 bits, or cross 2**63 on the way.
def walk(a, b, c):
    n = 0
    for i in range(a, b, c):
        n += 1
        if n <= 3:
            print(i)
    print("n =", n)
    return n


def total(a, b):
    s = 0
    for i in range(a, b):
        s += i
    return s


half = 2**62
edge = half + half - 1          # 2**63 - 1, the largest machine int
print(total(edge - 3, edge + 4))
print(total(-edge - 4, -edge + 2))
walk(edge - 1, edge + 3, 1)
walk(edge + 10, edge - 2, -3)
walk(edge * 4, edge * 4 + 10, 4)
walk(0, edge * 8, edge)
walk(edge * 8, 0, -edge * 2)
walk(-edge * 3, -edge * 3 - 5, -1)
walk(5, edge * edge, edge * edge)
walk(edge * 2, edge, 1)
print(total(edge * 3, edge * 3 + 5) % 1000)

# At module level too (the module's code is a function ahead of time).
count = 0
for i in range(edge - 2, edge + 2):
    count += i % 10
print(count)
for j in range(edge * 2, 3 * edge, edge // 2):
    print(j)
