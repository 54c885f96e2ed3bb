def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = []
    while n:
        n, r = divmod(n, b)
        out.append(digits[r])
    return sign + "".join(reversed(out))


for n in [0, 5, 255, -255, 1024, 123456789, 2**70]:
    print(n, bin(n), oct(n), hex(n), to_base(n, 7), to_base(n, 36))
    assert int(to_base(n, 36), 36) == n
print(int("ff", 16), int("0b1011", 0), int("777", 8), int("  42  "), int("-0x1f", 16))
print(format(255, "b"), format(255, "08b"), format(255, "x"), format(255, "#X"), f"{3735928559:,}")
bits = [n.bit_length() for n in range(10)]
print(bits)
gray = [n ^ (n >> 1) for n in range(16)]
print([format(g, "04b") for g in gray])
print(sum(bin(n).count("1") for n in range(1000)))
