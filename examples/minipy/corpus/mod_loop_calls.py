# A module loop calling functions that read other globals (constants) and a loop that
# stores a global a function reads (it must see every store).
K = 7
def scale(x):
    return x * K

s = 0
for i in range(10000):
    s += scale(i) % 13
print(s)

counter = 0
def seen():
    return counter

mismatches = 0
for i in range(5000):
    counter += 2
    if seen() != counter:
        mismatches += 1
print(counter, mismatches)

def square(v):
    return v * v

best = 0
for i in range(4000):
    v = square(i) % 1009
    if v > best:
        best = v
print(best)
K = 9
print(scale(3))
t = 0
for i in range(3000):
    t += scale(i)
print(t)
