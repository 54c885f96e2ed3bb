s = 0
sign = 1
for i in range(1, 101):
    s += sign * i
    sign = -sign
print(s)
