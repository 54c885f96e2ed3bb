# The first number in a range with a property, or None when there is none.
def first_square_above(limit):
    n = 0
    while n * n <= limit:
        n += 1
    return n * n


def first_divisible(start, stop, d):
    for i in range(start, stop):
        if i % d == 0:
            return i
    return None


print(first_square_above(50), first_square_above(0), first_square_above(99))
print(first_divisible(10, 20, 7), first_divisible(10, 13, 7))
r = first_divisible(1, 5, 9)
if r == None:
    print("none found")
