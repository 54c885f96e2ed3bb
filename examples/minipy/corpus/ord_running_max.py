def noise(i):
    return (i * 7919) % 101 - 50


highest = None
lowest = None
for i in range(40):
    v = noise(i)
    if highest == None or v > highest:
        highest = v
    if lowest == None or v < lowest:
        lowest = v
print(highest, lowest)
