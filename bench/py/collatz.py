def collatz_len(n):
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps

def longest(limit):
    best = 0
    best_n = 0
    for n in range(1, limit):
        s = collatz_len(n)
        if s > best:
            best = s
            best_n = n
    return best_n * 1000 + best

print(longest(300000))
