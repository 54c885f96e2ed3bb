# A loop whose calls start returning ints past 64 bits partway: the caller goes on with
# them, prints mid-loop included.
def scale(a, b):
    return a * b


def accumulate(n):
    total = 0
    for i in range(n):
        total = total + scale(i, 10 ** 17)
        if total > 10 ** 19:
            print("past 64 bits at", i, total)
            break
    return total


def sum_of_squares(limit):
    s = 0
    k = 1
    while k <= limit:
        s += scale(k, k) * k * k * k
        k += 1
    return s


print(accumulate(1000))
print(sum_of_squares(10), sum_of_squares(6000))
