def ways(amount, largest):
    """Ways to pay amount with coins no larger than largest (25, 10, 5, 1)."""
    if amount == 0:
        return 1
    if amount < 0 or largest == 0:
        return 0
    smaller = 10 if largest == 25 else 5 if largest == 10 else 1 if largest == 5 else 0
    return ways(amount - largest, largest) + ways(amount, smaller)


cents = 1
while cents <= 100:
    print(cents, "cents:", ways(cents, 25), "ways")
    cents = cents * 2 + 1
