print("a     b     and   or    xor")
for i in range(4):
    a = i >= 2
    b = i % 2 == 1
    print(a, b, a and b, a or b, a != b)
print(not True, not 0, not "", not None, not "x")
