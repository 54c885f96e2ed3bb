def mod_sum(n):
    total = 0
    for i in range(n):
        total += i % 3
    return total

print(mod_sum(30000000))
