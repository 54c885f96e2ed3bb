import sys

limit = 10
requested = 25
if requested > limit:
    print("checking", requested)
    sys.exit("error: " "requested more than the limit")
print("never printed")
