# factorial(1000) as a big int, 1,000 times: multiplication of a growing big int by a small one.
def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


total = 0
for _ in range(1000):
    total = (total + factorial(1000)) % 1000000007
print(total)
