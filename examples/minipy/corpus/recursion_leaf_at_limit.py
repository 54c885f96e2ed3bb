# Deep recursion through a base case answered at the call site: it still counts as a
# frame, so the limit is where it was.
def down(n):
    if n < 1:
        return n
    return down(n - 1)

print(down(990))
print(down(1010))
