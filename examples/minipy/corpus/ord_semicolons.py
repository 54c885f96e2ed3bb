a = 1; b = 2; c = a + b
print(a, b, c); print(c * 2)
if c > 2: print("big")
while a < 4: a += 1
print(a)
