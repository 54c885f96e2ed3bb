def f():
    print("in f")

def g(x):
    if x > 0:
        return
    return x

print(f())
print(g(1), g(-1))
r = print("hi")
print(r)
