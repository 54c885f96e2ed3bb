import sys


def nest(n):
    if n == 0:
        return 0
    return nest(n - 1) + 1


print(nest(100))
sys.setrecursionlimit(60)
print(sys.getrecursionlimit(), nest(50))
print(nest(100))
