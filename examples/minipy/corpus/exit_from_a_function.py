def check(n):
    if n > 3:
        print("too big:", n)
        exit(2)
    return n * 2


for i in range(10):
    print(check(i))
