print(divmod(7, -2), divmod(-7, 2), divmod(10**30, 7), divmod(True, 3))
print(pow(3, 4, 5), pow(-3, 3, 7), pow(3, -1, 7), pow(2, 10, -7), pow(2, 100), pow(2, 0, 1), pow(7, 10**20, 13))
print(isinstance(1, int), isinstance(True, int), isinstance("a", (int, str)), isinstance([], tuple), isinstance({}, dict), isinstance(5, bool))
def f(x):
    if isinstance(x, list):
        return sum(f(y) for y in x)
    return x
print(f([1, [2, [3, 4]], 5]))
