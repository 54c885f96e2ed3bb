vals = 0
for a in range(-4, 5):
    for b in range(-3, 4):
        print(a, b, a & b, a | b, a ^ b, ~a)
