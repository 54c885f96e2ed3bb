import sys
print("to out")
print("to err", 42, file=sys.stderr)
print("out again", file=sys.stdout)
print(sys.stderr.write("raw err\n"), sys.stdout.write("raw out\n"))
print("x", file=None, end="!\n", sep="-")
sys.stderr.flush()
print(*[1, 2], sep=", ", file=sys.stderr)
def f(n):
    for i in range(n):
        print(i, file=sys.stderr)
f(3)
print("last", file=sys.stderr, end="")
