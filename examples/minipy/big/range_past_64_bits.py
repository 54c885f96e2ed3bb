# range() whose stop is past 64 bits: the loop runs until it breaks, as in CPython.
for i in range(3, 10 ** 30):
    if i > 6:
        break
    print(i)
for i in range(5, -10 ** 30, -2):
    if i < 0:
        break
    print(i)
for i in range(10 ** 30):
    print(i)
    break
for i in range(-10 ** 30):
    print("never")
print("end")
