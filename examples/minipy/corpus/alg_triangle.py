t = 0
n = 0
while True:
    n += 1
    t += n
    d = 0
    i = 1
    while i * i <= t:
        if t % i == 0:
            d += 2 if i * i != t else 1
        i += 1
    if d > 50:
        break
print(n, t)
