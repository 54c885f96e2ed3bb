def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def lcm(a, b):
    return a * b // gcd(a, b)


from_to = range(1, 21)
result = 1
for k in from_to:
    result = lcm(result, k)
print(result)
matrix = [[i * j for j in range(1, 4)] for i in range(1, 4)]
transposed = list(zip(*matrix))
print(matrix, transposed)
print([list(row) for row in transposed])
total = 0
for row in matrix:
    total += sum(row)
print(total, max(max(r) for r in matrix))
