def rec(a, n):
    a[0] += 1
    return rec(a, n + 1) + 1

def run(a):
    return rec(a, 0)

r = [0]
run(r)
