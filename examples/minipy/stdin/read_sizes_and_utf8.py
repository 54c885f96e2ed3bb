import sys
for t in [sys.stdin.read(3), sys.stdin.read(0), sys.stdin.readline(2), sys.stdin.readline(), sys.stdin.readlines(1), sys.stdin.readlines(-1)]:
    print(repr(t))
