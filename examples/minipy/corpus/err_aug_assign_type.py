def bump(x):
    x += "a"
    return x


print("start")
n = 1
n -= 1
print(n)
print(bump(1))
