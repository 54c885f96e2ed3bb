count = 0
for n in range(30):
    count += n % 3 == 0
    count += n > 25
print(count, True + True, True * 7, False - 1, -True)
flags = 0
for bit in range(5):
    flags |= (bit % 2 == 0) << bit
print(flags, flags & 1, flags > 20)
