# q, r = divmod(a, b): in functions the JIT compiles and ahead of time no tuple is made —
# floor division and remainder with Python's signs, quotients past 64 bits, and the
# ZeroDivisionError CPython raises.
def digit_sum(n):
    s = 0
    while n:
        n, d = divmod(n, 10)
        s += d
    return s


def to_base(n, b):
    # The digits of n in base b, read back as a decimal number.
    out = 0
    scale = 1
    while n > 0:
        n, d = divmod(n, b)
        out += d * scale
        scale *= 10
    return out


def hms(seconds):
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return h * 10000 + m * 100 + s


def packed(a, b):
    q, r = divmod(a, b)
    return q * 1000 + r


total = 0
for i in range(1, 2000):
    total += digit_sum(i * i) + to_base(i, 7) % 1000 + hms(i * 37) + packed(i * 7 - 5000, -13)
print(total)
print(digit_sum(2**100), to_base(255, 2), to_base(10**6, 16), hms(86399))
print(packed(-2**63, -1), packed(10**25, 7), packed(-7, 2), packed(7, -2), packed(True, 2))
q, r = divmod(-17, 5)
print(q, r)
print(packed(5, 0))
