first = "alpha"
second = "beta"
print(first < second, first != second)
print(first - second)
