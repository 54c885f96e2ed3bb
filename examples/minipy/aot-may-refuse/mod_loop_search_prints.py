# Searches that print what they find as they go, at the top level and in a function: the
# loops run compiled, each print stops the compiled code, the interpreter prints and runs
# that turn on, and the loop is entered compiled again a few turns later.
def digit_sum(n):
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s


found = 0
for n in range(1, 60000):
    if n % digit_sum(n) == 0 and n % 997 == 0:
        print("harshad multiple of 997:", n)
        found += 1
print("found", found)


def search(limit):
    hits = 0
    best = 0
    for a in range(2, limit):
        b = a * a % 10007
        if b < 3:
            print("square near 0 mod 10007:", a, b)
            hits += 1
        if b > best:
            best = b
    return hits, best


print(search(40000))
streak = 0
longest = 0
for i in range(50000):
    if (i * 7919) % 13 < 6:
        streak += 1
    else:
        if streak > longest:
            longest = streak
            print("new longest streak", longest, "ending at", i)
        streak = 0
print(longest)
