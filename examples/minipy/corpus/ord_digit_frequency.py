def count_digit(n, digit):
    c = 0
    while n > 0:
        if n % 10 == digit:
            c += 1
        n //= 10
    return c


for digit in range(0, 10, 3):
    total = 0
    for n in range(1, 1001):
        total += count_digit(n, digit)
    print("digit", digit, "appears", total, "times in 1..1000")
