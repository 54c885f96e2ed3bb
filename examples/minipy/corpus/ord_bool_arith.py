t = True
f = False
print(t + t, t * 10, f - t, t // t, -t, t << 3)
print(t == 1, f == 0, t == True)
