"""A script laid out the usual way: functions, then a main guarded by __name__."""


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def main():
    best = 0
    best_n = 0
    for n in range(1, 3000):
        s = collatz_steps(n)
        if s > best:
            best = s
            best_n = n
    print("longest chain below 3000 starts at", best_n, "with", best, "steps")
    print("this module is", __name__)


if __name__ == "__main__":
    main()
else:
    print("imported, not run")
