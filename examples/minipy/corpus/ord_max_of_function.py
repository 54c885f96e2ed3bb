def profit(price):
    demand = max(0, 1000 - 7 * price)
    return (price - 30) * demand


best_price = 0
best = profit(0)
for price in range(1, 150):
    p = profit(price)
    if p > best:
        best = p
        best_price = price
print("best price", best_price, "profit", best)
print(profit(best_price - 1) <= best, profit(best_price + 1) <= best)
