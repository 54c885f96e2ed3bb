def grow(cents, rate_per_mille, years):
    for year in range(years):
        interest = cents * rate_per_mille // 1000
        cents += interest
    return cents


principal = 100000
for years in range(0, 31, 5):
    final = grow(principal, 45, years)
    print(years, "years:", final // 100, "dollars", final % 100, "cents")
doubled = 0
cents = principal
while cents < 2 * principal:
    cents = grow(cents, 45, 1)
    doubled += 1
print("doubles after", doubled, "years")
