def sum_multiples(limit, a, b):
    s = 0
    for i in range(limit):
        if i % a == 0 or i % b == 0:
            s += i
    return s


print(sum_multiples(10, 3, 5), sum_multiples(1000, 3, 5), sum_multiples(100, 7, 11))
