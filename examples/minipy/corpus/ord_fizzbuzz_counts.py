fizz = 0
buzz = 0
both = 0
for i in range(1, 301):
    if i % 15 == 0:
        both += 1
    elif i % 3 == 0:
        fizz += 1
    elif i % 5 == 0:
        buzz += 1
print(fizz, buzz, both)
