t = True
f = False
print(t + t + t, t * 7, f * 7, t - f, t // t, t % 2, t << 4, t ** 5)
print(t == 1, f == 0, t < 2, f > -1, t != f, 1 + (2 > 1))
print(t & t, t | f, f ^ f, t & 3, 6 | f)
