calls = 0


def ackermann(m, n):
    global calls
    calls += 1
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


for m in range(3):
    for n in range(4):
        calls = 0
        print("A", m, n, "=", ackermann(m, n), "calls", calls)
