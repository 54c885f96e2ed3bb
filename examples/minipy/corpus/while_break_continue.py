n = 0
found = 0
while n < 1000:
    n += 1
    if n % 7 != 0:
        continue
    if n % 5 == 0:
        found = n
        break
print(n, found)
i = 10
while i:
    i -= 3
    if i < 0:
        break
print(i)
