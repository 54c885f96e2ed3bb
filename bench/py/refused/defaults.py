# A recursive function that leaves out a parameter whose default is a string: the JIT
# compiles int defaults only, so with compiled code on it is interpreted — and calls of it
# should cost what they cost in the interpreter alone (bench counts: interp vs auto).
def walk(n, acc=0, mark="."):
    if n == 0:
        return acc
    return walk(n - 1, acc + n % 7)


total = 0
for i in range(3000):
    total = total + walk(300)
print(total)
