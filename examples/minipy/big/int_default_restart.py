# A function with an int default whose hot loop is replaced by compiled code mid-run and
# then leaves 64 bits: the call restarts in the interpreter with every parameter — the
# default included — as it was called.
def cubes(n, start=5):
    x = start
    for i in range(n):
        x = x + i * i * i
    return x


print(cubes(100000))
print(cubes(100000, 7))
print(cubes(10))
