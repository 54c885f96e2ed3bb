# Module-level loops: sums, nested loops, while with break/else, for-else.
total = 0
for i in range(20000):
    if i % 3 == 0:
        total += i * 2
    elif i % 5 == 1:
        total -= i
    else:
        total += 1
print("total", total)

pairs = 0
for a in range(150):
    for b in range(a, 150):
        if (a * b) % 7 == 3:
            pairs += 1
print("pairs", pairs)

n = 27
steps = 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    steps += 1
print("steps", steps)

count = 0
k = 0
while k < 100000:
    k += 1
    if k * k > 987654321:
        break
    count += k % 10
else:
    count = -1
print("count", count, "k", k)

found = None
for x in range(2, 5000):
    if x * x % 4999 == 1 and x > 1:
        found = x
        break
else:
    found = 0
print("found", found)

acc = 0
for x in range(3000):
    acc = (acc * 31 + x) % 1000003
else:
    acc += 1
print("acc", acc)
result = total + pairs + steps
print("result", result)
