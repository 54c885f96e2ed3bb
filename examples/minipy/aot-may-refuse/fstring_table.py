def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


rows = [(n, collatz_steps(n)) for n in range(1, 16)]
width = max(len(str(s)) for _, s in rows)
print("widest count:", width)
print(f"{'n':>3} | steps")
print("-" * 12)
for n, s in rows:
    bar = "#" * (s // 2)
    print(f"{n:>3} | {s:>3} {bar}")
best = max(rows)
print(f"largest n: {best[0]}, hex {best[0]:#x}, binary {best[0]:b}")
total = sum(s for _, s in rows)
print(f"total steps {total:,} over {len(rows)} numbers, mean {total // len(rows)}")
print(f"{'left':<8}|{'right':>8}|{'mid':^9}|")
print(f"{12345678:_}", f"{-5:+04d}", f"{255:08b}", f"{'x'!r}", f"{rows[0]}")
