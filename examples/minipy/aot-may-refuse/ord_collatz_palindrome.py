def collatz_len(n, cache={1: 1}):
    if n in cache:
        return cache[n]
    nxt = n // 2 if n % 2 == 0 else 3 * n + 1
    cache[n] = 1 + collatz_len(nxt)
    return cache[n]


best = max(range(1, 10000), key=collatz_len)
print(best, collatz_len(best))
s = "A man, a plan, a canal: Panama"
clean = [c.lower() for c in s if c.isalnum()]
print(clean == clean[::-1])
n = 12345
digits = [int(d) for d in str(n)]
print(sum(digits), int("".join(reversed(str(n)))))
print(bin(10), hex(255), oct(8), abs(-3))
