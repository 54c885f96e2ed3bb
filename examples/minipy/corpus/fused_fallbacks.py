# Runs the interpreter's superinstructions take, with ints and with what makes them fall
# back to the plain instructions: bools, None, strings, a zero divisor (the exception must
# still name this file's last line).
def mix(a, b):
    t = a + 1
    u = a * b
    v = 3 - a
    w = b // 2
    if a < 5:
        t = t + 10
    if a == b:
        u = u - 1
    c = a < b
    print(t, u, v, w, c, a & b, a | 1)

mix(3, 4)
mix(True, False)
mix(7, 7)
mix(-9, True)
x = 9223372036854775806
y = x + 1
print(y, y - x, -y - 1)
s = "b"
if s < "c":
    print("less")
n = None
if n == None:
    print("none")
if n != 0:
    print("not zero")
total = 0
for i in range(10, 0, -3):
    total = total + i
print(total, i)
for j in range(True, 3):
    total = total - j
print(total, j)
k = 5
k = k % 3
print(k, k == 2, k ^ 7)


# An operation feeding a test-and-branch, fused: ints, bools, floor division and modulo
# by powers of two on negative numbers.
def tests(a, b, c):
    hits = 0
    if a % 2 == 0:
        hits += 1
    if a * b <= c:
        hits += 10
    if a // 4 < -1:
        hits += 100
    if a - b != c:
        hits += 1000
    if a % b == 1:
        hits += 10000
    return hits


print(tests(4, 3, 12), tests(-7, 2, -14), tests(True, True, False), tests(-9, 4, 3))
print(tests(9223372036854775807, 3, 0) if False else tests(6, 5, True))
d = 2
while d * d <= 30:
    d += 1
print(d, tests(8, -3, None == None))


# Two operations in a row, fused: ints, bools, negative numbers, results near 64 bits.
def chains(a, b):
    print((a ^ b) & 255, 3 * a + 1, a * 5 - 2, (a | b) >> 1)
    return 3 * a + 1


chains(1000, 77)
chains(True, False)
chains(-7, 3)
print(chains(1844674407370955161, 1) - 1844674407370955161)
print(k // (k - 2))
