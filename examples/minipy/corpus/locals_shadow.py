x = 10
def f(x):
    x = x + 1
    return x
def g():
    x = 5
    return x
print(f(1), g(), x)
