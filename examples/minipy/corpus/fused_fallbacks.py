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
print(k // (k - 2))
