def popcount(x):
    n = 0
    while x:
        x &= x - 1
        n += 1
    return n


def subset_sums(nums, target):
    hits = []
    for mask in range(1 << len(nums)):
        if sum(nums[i] for i in range(len(nums)) if mask & (1 << i)) == target:
            hits.append(sorted(nums[i] for i in range(len(nums)) if mask & (1 << i)))
    return sorted(hits)


def gray(n):
    return [i ^ (i >> 1) for i in range(1 << n)]


print([popcount(x) for x in range(16)])
print(bin(0b1011 << 3), hex(255 ^ 0x0F), oct(64), (-37) >> 2, ~5 & 0xFF)
print(subset_sums([3, 34, 4, 12, 5, 2], 9))
g = gray(4)
print(g)
print(all(popcount(a ^ b) == 1 for a, b in zip(g, g[1:])))
print(format(2 ** 70 - 1, "b").count("1"), (2 ** 64).bit_length(), (1 << 100) >> 98)
flags = {"read": 4, "write": 2, "exec": 1}
mode = 0o754
for who in range(3):
    bits = mode >> (3 * (2 - who)) & 7
    print("".join(name[0] if bits & v else "-" for name, v in flags.items()))
