# Loops that only count and sum: the JIT computes them in closed form (and falls back to
# running them when a term changes sign or a value would not fit).
def add_to_n(n):
    total = 0
    for i in range(n):
        total += i
    return total

def stepped(a, b, c):
    s = 0
    k = 0
    for i in range(a, b, c):
        s += i
        k -= 3
    return s * 1000 + k

def upto(n, d):
    i = 0
    s = 7
    t = 100
    while i <= n:
        i += 1
        s += i
        t -= i + d
    return s + t * 3 + i

def down(n, x):
    s = 0
    i = n
    while i > 0:
        s -= i
        i -= 2
        s += x
    return s * 1000000 + i

def show_add(n):
    print(n, add_to_n(n))

def show_stepped(a, b, c):
    print(a, b, c, stepped(a, b, c))

show_add(0)
show_add(1)
show_add(2)
show_add(10)
show_add(1000)
show_add(123457)
show_add(-5)
show_stepped(3, 1000, 7)
show_stepped(100, -50, -3)
show_stepped(-100, 50, 3)
show_stepped(5, 5, 1)
show_stepped(7, 3, 1)
show_stepped(0, 10, 10)
show_stepped(-9, 9, 1)
show_stepped(50, -50, -1)
for n in range(-3, 12):
    for d in range(-1, 3):
        print(n, d, upto(n, d))
print(upto(99999, 2))
for n in range(0, 12):
    for x in range(-7, 6, 4):
        print(n, x, down(n, x))
print(down(100001, 5), down(100000, -3))
