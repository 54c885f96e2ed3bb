# A loop's last increment fused with its test, and `if x < k: return y` as one step: their
# fallbacks when the values are not ints (the general instructions take over).
def countdown(n):
    steps = 0
    while n != 0:
        n = n - 1 if n > 1 else False
        steps += 1
    return steps

def from_bool(b):
    while b < 5:
        b += 1
    return b

def small(n):
    if n < 2:
        return n
    return small(n - 1) + small(n - 2)

def late(n):
    if n < 2:
        return m
    m = n
    return m

print(countdown(5), countdown(1), countdown(0), countdown(True))
print(from_bool(True), from_bool(False), from_bool(7))
print(small(True), small(False), small(10))
print(late(5))
print(late(1))
