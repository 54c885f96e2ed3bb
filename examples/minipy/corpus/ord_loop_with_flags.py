found_even = False
found_big = False
first_big = None
for n in range(1, 60, 7):
    if n % 2 == 0 and not found_even:
        found_even = True
        print("first even:", n)
    if n > 40 and first_big == None:
        first_big = n
        found_big = True
print(found_even, found_big, first_big)
