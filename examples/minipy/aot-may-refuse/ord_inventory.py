inventory = [
    {"name": "apple", "qty": 5, "price": 30},
    {"name": "pear", "qty": 0, "price": 45},
    {"name": "banana", "qty": 12, "price": 12},
    {"name": "kiwi", "qty": 7, "price": 50},
]
in_stock = [item for item in inventory if item["qty"] > 0]
print([i["name"] for i in in_stock])
value = {i["name"]: i["qty"] * i["price"] for i in inventory}
print(value)
cheapest = min(inventory, key=lambda i: i["price"])
print("cheapest:", cheapest["name"], cheapest)
inventory.sort(key=lambda i: (i["qty"] == 0, -i["price"]))
for i in inventory:
    print("{name:>8}: {qty:3d} @ {price:3d}".format(**i))
totals = {}
orders = [("apple", 2), ("kiwi", 1), ("apple", 1), ("banana", 10), ("pear", 1)]
for name, n in orders:
    totals[name] = totals.get(name, 0) + n
print(totals)
by_name = {i["name"]: i for i in inventory}
for name, n in totals.items():
    item = by_name[name]
    if item["qty"] >= n:
        item["qty"] -= n
        print(f"shipped {n} {name}")
    else:
        print(f"short of {name}: have {item['qty']}, want {n}")
print(sorted((i["qty"], i["name"]) for i in inventory))
print(len(inventory), sum(i["qty"] for i in inventory))
