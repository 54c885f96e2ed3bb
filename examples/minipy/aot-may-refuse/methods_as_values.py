d = {"a": 3, "b": 7, "c": 1}
print(max(d, key=d.get), sorted(d, key=d.get), min(d, key=d.get))
words = ["Banana", "apple", "cherry"]
print(sorted(words), sorted(words, key=str.lower), list(map(str.upper, words)))
lines = ["  x ", " y", "z  "]
print(list(map(str.strip, lines)))
acc = []
add = acc.append
for i in range(3):
    add(i * i)
print(acc, "-".join(map(str, acc)))
up = "hello".upper
print(up(), str.join(",", ["a", "b"]), list.count([1, 1, 2], 1))
print(str.lower(5))
