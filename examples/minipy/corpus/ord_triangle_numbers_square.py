def is_square(n):
    r = 0
    while r * r < n:
        r += 1
    return r * r == n


found = 0
t = 0
for k in range(1, 2000):
    t += k
    if is_square(t):
        found += 1
        print("triangle number", k, "is", t, "a square")
print("found", found)
