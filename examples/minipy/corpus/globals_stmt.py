counter = 0
def bump(by):
    global counter
    counter += by
    return counter

for i in range(5):
    bump(i)
print(counter)
def read_only():
    return counter * 2
print(read_only())
