def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))

def repeat(times):
    total = 0
    for i in range(times):
        total += ack(2, i % 300) + ack(3, i % 7)
    return total

print(repeat(300))
