calls = 0


def tick():
    global calls
    calls = calls + 1
    return calls


for i in range(5):
    tick()
print(calls, tick(), calls)
