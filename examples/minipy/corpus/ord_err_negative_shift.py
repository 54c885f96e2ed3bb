def shift_by(x, n):
    return x << n


print(shift_by(1, 4))
print(shift_by(1, -1))
