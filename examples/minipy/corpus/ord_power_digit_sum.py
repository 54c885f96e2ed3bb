def digit_sum(n):
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s


for e in range(0, 61, 10):
    print("2 **", e, "=", 2 ** e, "digit sum", digit_sum(2 ** e))
