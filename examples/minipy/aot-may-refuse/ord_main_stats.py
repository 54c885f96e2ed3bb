import sys


def main():
    n = 200000
    data = []
    x = 12345
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        data.append(x % 1000)
    print("generated", len(data), "values")
    total = 0
    lo = hi = data[0]
    for v in data:
        total += v
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    mean = total // n
    print(f"sum={total} min={lo} max={hi} mean={mean}")
    var = 0
    for v in data:
        var += (v - mean) * (v - mean)
    print("variance", var // n)
    buckets = [0] * 10
    for v in data:
        buckets[v // 100] += 1
    for i, b in enumerate(buckets):
        print(f"{i * 100:>4}-{i * 100 + 99:<4} {'#' * (b // 1000)} {b}")
    data.sort()
    print("median", data[n // 2], "p90", data[n * 9 // 10])


if __name__ == "__main__":
    main()
