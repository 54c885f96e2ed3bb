def digit_product(n):
    p = 1
    while n > 0:
        p *= n % 10
        n //= 10
    return p


def persistence(n):
    steps = 0
    while n >= 10:
        n = digit_product(n)
        steps += 1
    return steps


best = 0
for n in range(1, 3000):
    p = persistence(n)
    if p > best:
        best = p
        print("persistence", p, "first at", n)
print(persistence(277777788888899))
