def catalan(n):
    c = 1
    for i in range(n):
        c = c * 2 * (2 * i + 1) // (i + 2)
    return c


def count_balanced(open_left, close_left, depth):
    if open_left == 0 and close_left == 0:
        return 1
    total = 0
    if open_left > 0:
        total += count_balanced(open_left - 1, close_left, depth + 1)
    if depth > 0 and close_left > 0:
        total += count_balanced(open_left, close_left - 1, depth - 1)
    return total


for n in range(8):
    print(n, count_balanced(n, n, 0), catalan(n))
