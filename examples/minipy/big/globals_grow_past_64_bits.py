# Globals that functions store to, growing past 64 bits and coming back.
total = 0
count = 0


def add(x):
    global total, count
    total += x
    count += 1


def report():
    return total % 1000003


half = 2**62
for i in range(200):
    add(half + i)
print(total, count, report())

acc = 1


def grow(n):
    global acc
    for _ in range(n):
        acc = acc * 3
    return acc


def shrink():
    global acc
    while acc > 10**6:
        acc = acc // 7
    return acc


print(grow(50))
print(shrink())
print(grow(10), shrink())

# Big ints made and dropped by the thousand while a global holds one: it is kept.
keep = 0


def churn(base, n):
    global keep
    keep = base ** 100
    s = 0
    for i in range(n):
        t = (i + half + half) * (i + half)
        s = (s + t) % 1000000007
    return s


print(churn(7, 30000))
print(keep % 1000, keep // 7 ** 99)

# i64::MIN itself in a global is an int like any other.
low = 0


def set_low():
    global low
    low = -half - half


def read_low():
    return low - 1


set_low()
print(low, read_low())
