s = 88172645463325252
def nxt():
    global s
    s ^= (s << 13) & 18446744073709551615 if False else 0
    return s
x = 123456789
for i in range(10):
    x ^= (x << 13) & 4294967295
    x ^= x >> 17
    x ^= (x << 5) & 4294967295
    print(x)
