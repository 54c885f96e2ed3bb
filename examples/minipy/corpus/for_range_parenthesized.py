# A range in parentheses is still a range.
total = 0
for b in (range(-3, 4)):
    total += b * b
print(total)
for i in ((range(3))):
    print(i)
for j in (range(10, 0, -3)):
    print(j)
