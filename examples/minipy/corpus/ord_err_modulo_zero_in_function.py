def is_multiple(n, k):
    return n % k == 0


for k in range(3, -1, -1):
    print(k, is_multiple(12, k))
