steps = 0
x = 1
while x < 1000000:
    x = x * 3 + 1
    steps += 1
print(steps, x)
