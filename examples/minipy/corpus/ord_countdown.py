n = 10
while n > 0:
    if n % 3 == 0:
        print(n, "fizz")
    n -= 1
print("liftoff")
