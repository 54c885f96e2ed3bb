def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
for i in range(21):
    print(i, fact(i))
