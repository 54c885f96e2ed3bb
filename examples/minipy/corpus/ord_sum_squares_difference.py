def sum_of_squares(n):
    total = 0
    for i in range(1, n + 1):
        total += i * i
    return total


def square_of_sum(n):
    s = n * (n + 1) // 2
    return s * s


for n in range(1, 101, 33):
    print(n, square_of_sum(n) - sum_of_squares(n))
print(sum_of_squares(100) == 100 * 101 * 201 // 6)
