# Module-level loops over lists: a sieve, a prefix sum, a loop over the list's items.
n = 30000
sieve = [True] * n
sieve[0] = sieve[1] = False
for i in range(2, n):
    if sieve[i]:
        for j in range(i * i, n, i):
            sieve[j] = False
primes = [i for i in range(n) if sieve[i]]
print(len(primes), primes[-1])

prefix = [0] * (len(primes) + 1)
for i in range(len(primes)):
    prefix[i + 1] = prefix[i] + primes[i]
print(prefix[-1], prefix[100])

gaps = 0
prev = 2
for p in primes:
    if p - prev > gaps:
        gaps = p - prev
    prev = p
print("largest gap", gaps)

squares = []
for i in range(5000):
    squares.append(i * i % 97)
print(sum(squares), max(squares), squares[4999])
grid = [[0] * 50 for _ in range(50)]
for r in range(50):
    for c in range(50):
        grid[r][c] = (r * c) % 10
tot = 0
for row in grid:
    for v in row:
        tot += v
print(tot)
