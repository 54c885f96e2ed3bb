def half(x):
    return 10 // x


print(list(map(half, [1, 2])))
print(sum(map(half, [5, 0, 1])))
