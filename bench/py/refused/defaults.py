# A recursive function with a default parameter value: the JIT does not compile those yet,
# so with compiled code on it is interpreted — and calls of it should cost what they cost
# in the interpreter alone (bench counts: interp vs auto).
def walk(n, acc=0):
    if n == 0:
        return acc
    return walk(n - 1, acc + n % 7)


total = 0
for i in range(3000):
    total = total + walk(300)
print(total)
