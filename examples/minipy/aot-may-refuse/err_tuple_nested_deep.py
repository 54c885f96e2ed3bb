t = ()
for i in range(100000):
    t = (t,)
print(t == t, t in [t])
u = ()
for i in range(100000):
    u = (u,)
print(t < u)
