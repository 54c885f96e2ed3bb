import sys

for limit in [5000, 100, 30]:
    sys.setrecursionlimit(limit)
    print(sys.getrecursionlimit())
sys.setrecursionlimit(0)
