total = 0
i = 0
while True:
    i += 1
    if i % 3 == 0:
        continue
    if i > 20:
        break
    total += i
print(total, i)
for k in range(10, 0, -3):
    print(k)
for k in range(5, 5):
    print("never")
count = 0
for a in range(4):
    for b in range(a):
        count += a * b
print(count)
