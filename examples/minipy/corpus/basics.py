# Arithmetic, comparisons, booleans and None with Python's rules.
a = 17
b = -5
print(a + b, a - b, a * b, a // b, a % b, -a // 4, -a % 4)
print(a << 3, a >> 2, b >> 1, a & b, a | b, a ^ b, ~a, -b, +b)
print(2 ** 10, 3 ** 0, (-2) ** 3)
print(1 < 2 < 3, 3 < 2 < 1, 1 < 3 > 2, 1 == 1 != 2)
print(True + True, True * 10, False - 1, True & False, True | False, True ^ True)
print(not 0, not 5, not None, 0 or 7, 3 and 4, None or 0, 0 and 1)
print(1 if a > 10 else 2, None, True, False)
x = 0x1f + 0o17 + 0b101 + 1_000
print(x)
print(abs(-4), min(3, 1, 2), max(3, 9, 2), min(True, 2))
