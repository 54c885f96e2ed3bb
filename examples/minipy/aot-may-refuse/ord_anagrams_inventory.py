# Anagram groups and a tiny inventory
words = ["listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog"]
groups = {}
for w in words:
    key = "".join(sorted(w))
    groups.setdefault(key, []).append(w)
for key in sorted(groups):
    if len(groups[key]) > 1:
        print(key, "->", ", ".join(sorted(groups[key])))

inventory = {"apple": 3, "pear": 0, "plum": 12}
restock = {"pear": 5, "kiwi": 7}
for item, n in restock.items():
    inventory[item] = inventory.get(item, 0) + n
in_stock = {k: v for k, v in inventory.items() if v > 0}
print(sorted(in_stock.items(), key=lambda kv: kv[1], reverse=True))
print(sum(inventory.values()), max(inventory, key=inventory.get))
