# hash() as CPython 3.11 computes it: ints modulo 2**61 - 1 (-1 is -2), bools, strings
# (PYTHONHASHSEED=0, as every oracle run sets), tuples; a list is unhashable.
print(hash(1), hash(-1), hash(0), hash(2 ** 61), hash(2 ** 61 - 1), hash(-(2 ** 64)), hash(10 ** 30))
print(hash(True), hash(False), hash("abc"), hash(""), hash("héllo"), hash((1, 2)), hash(()), hash((1, (2, "x"))))
print(hash(123456789012345678901234567890) == hash(123456789012345678901234567890 % (2 ** 61 - 1)))
seen = {}
for w in ["a", "b", "a"]:
    seen[hash(w)] = w
print(len(seen))
print(hash([1]))
