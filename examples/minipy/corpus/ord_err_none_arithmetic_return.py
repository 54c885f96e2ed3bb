def half(n):
    if n % 2 == 0:
        return n // 2


print(half(10) + 1)
print(half(7) + 1)
