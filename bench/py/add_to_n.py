def add_to_n(n):
    total = 0
    for i in range(n):
        total += i
    return total

print(add_to_n(10 ** 8))
