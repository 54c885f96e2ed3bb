def nested(n):
    s = 0
    for i in range(n):
        for j in range(n):
            s += (i ^ j) & 255
    return s

print(nested(4000))
