def is_triangular(n):
    k = 0
    total = 0
    while total < n:
        k += 1
        total += k
    return total == n


found = 0
for n in range(1, 200):
    if is_triangular(n):
        found += 1
print(found, is_triangular(55), is_triangular(56))
