def divisor_sum(n):
    if n < 2:
        return 0
    total = 1
    d = 2
    while d * d <= n:
        if n % d == 0:
            total += d
            if d != n // d:
                total += n // d
        d += 1
    return total


for a in range(2, 3000):
    b = divisor_sum(a)
    if b > a and divisor_sum(b) == a:
        print("amicable:", a, b)
