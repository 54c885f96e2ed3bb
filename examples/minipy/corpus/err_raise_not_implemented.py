# raise by name alone, and the exceptions only raise can raise.
def area(kind, size):
    if kind == 1:
        return size * size
    if kind == 2:
        return 3 * size * size
    raise NotImplementedError


print(area(1, 4), area(2, 3))
area(3, 1)
