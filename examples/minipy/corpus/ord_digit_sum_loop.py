def digit_sum(n):
    n = abs(n)
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total


def digital_root(n):
    while n >= 10:
        n = digit_sum(n)
    return n


def show(n):
    print(n, digit_sum(n), digital_root(n))


show(0)
show(7)
show(38)
show(12345)
show(-987)
show(999999999)
