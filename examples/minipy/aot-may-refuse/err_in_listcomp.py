def f(xs):
    return [10 // x for x in xs]
print(f([1, 2, 0]))
