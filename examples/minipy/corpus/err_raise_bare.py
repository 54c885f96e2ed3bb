# A bare raise with no exception being handled: CPython's RuntimeError.
def fail(n):
    if n > 2:
        raise
    return n


print(fail(1))
print(fail(3))
