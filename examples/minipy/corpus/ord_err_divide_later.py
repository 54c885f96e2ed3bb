def average(total, count):
    return total // count


print(average(10, 2))
print(average(7, 3))
print(average(5, 0))
