def maybe(n):
    if n > 2:
        return n
    return None


s = 0
for i in range(5, 0, -1):
    s = s + maybe(i)
    print(s)
