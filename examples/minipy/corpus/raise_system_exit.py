# raise SystemExit(n) is sys.exit(n): the status, no traceback.
def main(limit):
    total = 0
    for i in range(limit):
        total += i
        if total > 20:
            print("stopping at", i, "with", total)
            raise SystemExit(3)
    return total


print(main(5))
main(100)
print("not reached")
