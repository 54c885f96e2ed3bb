# Tables and progress lines the usual way: print with sep= and end=.
def multiplication_table(n):
    for i in range(1, n + 1):
        for j in range(1, n + 1):
            print(i * j, end="\t")
        print()


multiplication_table(4)
print("x", "y", "z", sep=" | ")
print("no newline", end="")
print(" ... continued", end=".\n")
for step in range(5):
    print(step, end=" " if step < 4 else "\n")
print(1, 2, 3, sep=", ", end=" <- done\n", flush=True)
print("a", "b", sep=None, end=None)
print()
print(end="")
print("last")
