# CPython 3.11 refuses to print an int of more than 4,300 digits.
n = 10 ** 4299
print(n % 997, n > 1)
print(n * 10 // 10 == n)
print(n * 10)
