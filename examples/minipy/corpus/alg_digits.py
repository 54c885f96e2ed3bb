def digit_sum(n):
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s
def reverse(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r
for n in range(1, 100000, 12347):
    print(n, digit_sum(n), reverse(n), reverse(n) == n)
