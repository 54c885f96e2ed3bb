# `del` of names: a local, a global (also from a function that declares it global), a
# name bound again after it was deleted, several at once, and `del` making a name local.
count = 3
extra = 10


def drop_local(n):
    t = n * 2
    del t
    t = n + 1
    return t


def forget():
    global extra
    del extra


def shadow():
    try_it = 1
    del try_it
    return "deleted"


print(drop_local(5), shadow())
forget()
extra = 7
print(count + extra)
a = 1
b = 2
del a, b
a = 40
print(a)
for i in range(3):
    x = i
    del x
print(count)
