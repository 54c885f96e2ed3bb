# A search without for-else: a flag records whether the loop broke.
target = 37
found = False
for i in range(2, target):
    if target % i == 0:
        found = True
        break
if found:
    print(target, "is composite")
else:
    print(target, "is prime")
