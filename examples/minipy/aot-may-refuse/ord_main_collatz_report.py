def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def main():
    print("Collatz report")
    print("=" * 20)
    best_n, best = 1, 0
    for n in range(1, 100000):
        s = collatz(n)
        if s > best:
            best_n, best = n, s
    print(f"longest chain below 100000: {best_n} ({best} steps)")
    hist = [0] * 10
    for n in range(1, 20000):
        hist[min(collatz(n) // 50, 9)] += 1
    print("histogram:", hist)
    big = 2 ** 70 + 1
    print("steps for 2**70+1:", collatz(big))
    total = 0
    for n in range(1, 5000):
        total += collatz(n)
    print("average:", total // 4999)


main()
