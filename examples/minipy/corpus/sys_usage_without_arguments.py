import sys


def mean(values_total, count):
    return values_total // count


if len(sys.argv) < 3:
    print("usage: mean.py TOTAL COUNT")
    sys.exit(2)
print(mean(int(sys.argv[1]), int(sys.argv[2])))
