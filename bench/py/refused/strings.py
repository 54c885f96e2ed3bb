# Strings in the loop: the JIT compiles ints and bools, so this function stays interpreted
# while its caller's loop is hot (bench counts: interp vs auto).
def pick(i, a, b):
    if i % 3 == 0:
        return a
    return b


n = 0
for i in range(300000):
    if pick(i, "x", "yy") == "x":
        n = n + 1
print(n)
