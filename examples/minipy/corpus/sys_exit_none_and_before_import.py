def check():
    return len(sys.argv)


import sys

print("arguments:", check() - 1)
if check() == 1:
    sys.exit(None)
print("unreachable")
