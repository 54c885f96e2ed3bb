# A variable that holds different kinds on different paths: every use sees the kind of
# its own path.
def h(a):
    x = None if a < 0 else a
    if x == None:
        return -1
    return x + 1


def pick(a):
    if a < 0:
        y = "neg"
    elif a == 0:
        y = None
    else:
        y = a * 2
    return y


def last_int(n):
    v = None
    for i in range(n):
        if v == None:
            v = i
        else:
            v = v + i
    return v


def flip(n):
    z = 0
    k = 0
    while k < n:
        if z == None:
            z = k
        else:
            z = None
        k += 1
    return z


print(h(3), h(-2), h(0))
print(pick(-1), pick(0), pick(5))
print(last_int(0), last_int(1), last_int(5))
print(flip(0), flip(1), flip(2), flip(3))
a = 5
x = None if a < 0 else a
print(x + 1)
y = "s" if a > 10 else a
print(y * 2)
w = pick(4)
print(w - 1)
t = pick(-3)
print(t == "neg", t)
u = pick(0)
print(u == None, u)
