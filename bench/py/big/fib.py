# fib(10**4) by iteration, 100 times: additions of big ints of up to 2,090 digits.
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


total = 0
for _ in range(100):
    total = (total + fib(10000)) % 1000000007
print(total)
