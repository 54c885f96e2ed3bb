def pascal(n):
    rows = [[1]]
    for _ in range(n - 1):
        last = rows[-1]
        rows.append([1] + [a + b for a, b in zip(last, last[1:])] + [1])
    return rows


rows = pascal(12)
width = len(" ".join(map(str, rows[-1])))
for row in rows:
    print(" ".join(map(str, row)).center(width))
print(sum(rows[-1]), 2 ** 11)
big = pascal(70)[-1]
print(max(big), len(str(max(big))))
