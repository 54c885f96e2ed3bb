def contains_seven(n):
    while n > 0:
        if n % 10 == 7:
            return True
        n //= 10
    return False


first = None
for i in range(100, 200):
    if contains_seven(i) and i % 2 == 0:
        first = i
        break
print(first, contains_seven(1234), contains_seven(70))
