def reverse(n):
    r = 0
    while n:
        r = r * 10 + n % 10
        n //= 10
    return r


n = 87
steps = 0
while n != reverse(n) and steps < 50:
    n = n + reverse(n)
    steps += 1
print(n, steps)
