def main():
    words = "the quick brown fox jumps over the lazy dog".split()
    print("words:", words)
    lengths = [len(w) for w in words]
    print("lengths:", lengths)
    acc = 0
    for k in range(300000):
        acc += lengths[k % len(lengths)] * k % 11
    print("acc", acc)
    label = "-".join(w.upper() for w in words[:3])
    print(label)
    n = 0
    m = 0
    while n < 500000:
        m += n % 13
        n += 1
    print(m, n, label.lower())


main()
