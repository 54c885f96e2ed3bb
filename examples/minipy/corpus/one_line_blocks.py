x = 3
if x > 2: print("big"); print("really")
else: print("small")
while x > 0: x -= 1
for i in range(2): print(i); print(i * 10)
def f(a): return a * 2
print(f(21))
