def share(total, people):
    return total // people


print(share(2 ** 80, 3))
print(share(2 ** 80, 0))
