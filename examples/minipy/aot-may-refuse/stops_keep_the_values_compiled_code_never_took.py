# Locals compiled code never takes (strings, dicts) kept by the interpreter's frame across a
# loop compiled from its head, and a local the loop may store refusing the stop.
def main(flag):
    words = "a bb ccc".split()
    d = {"x": 1}
    total = 0
    for i in range(5000):
        total += i % 7
        if flag and i == 4000:
            words = [i]
    print(words, d, total)
    w2 = words
    n = 0
    while n < 3000:
        n += 1
    print(w2, n, d)
    s = "x"
    for k in range(2000):
        total += k
        if k == 1999 and flag:
            s = k
    print(s, total)

main(False)
main(True)
