# The ordinary script: a main() with its loops, printing as it goes between them.
import sys


def main():
    limit = 20000
    sieve = [True] * limit
    sieve[0] = sieve[1] = False
    for i in range(2, limit):
        if sieve[i]:
            for j in range(i * i, limit, i):
                sieve[j] = False
    count = 0
    for flag in sieve:
        if flag:
            count += 1
    print("primes below", limit, ":", count)
    twins = 0
    for p in range(3, limit - 2):
        if sieve[p] and sieve[p + 2]:
            twins += 1
    print("twin pairs:", twins)
    last = [p for p in range(limit - 100, limit) if sieve[p]]
    print("last primes:", last)
    sys.stdout.write("done\n")


if __name__ == "__main__":
    main()
