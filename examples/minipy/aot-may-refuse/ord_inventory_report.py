orders = """\
2024-01-03,widget,3,2.50
2024-01-03,gadget,1,12.00
2024-01-04,widget,10,2.25
2024-01-05,doohickey,2,7.75
2024-01-05,gadget,4,11.50
2024-01-06,widget,1,2.50
"""

def cents(text):
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])

def money(c):
    return f"${c // 100:,}.{c % 100:02d}"

totals = {}
qty = {}
by_day = {}
for line in orders.splitlines():
    day, item, n, price = line.split(",")
    n = int(n)
    amount = n * cents(price)
    totals[item] = totals.get(item, 0) + amount
    qty.setdefault(item, []).append(n)
    by_day[day] = by_day.get(day, 0) + amount

width = max(len(k) for k in totals)
print(f"{'item':<{width}}  {'units':>5}  {'revenue':>10}")
for item, c in sorted(totals.items(), key=lambda kv: -kv[1]):
    print(f"{item:<{width}}  {sum(qty[item]):>5}  {money(c):>10}")
print("-" * (width + 19))
print(f"{'total':<{width}}  {sum(map(sum, qty.values())):>5}  {money(sum(totals.values())):>10}")
best_day = max(by_day, key=by_day.get)
print("best day:", best_day, money(by_day[best_day]))
print("average order:", money(sum(totals.values()) // len(orders.splitlines())))
