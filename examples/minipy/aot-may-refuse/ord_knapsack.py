def knapsack(items, capacity):
    n = len(items)
    dp = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        weight, value = items[i - 1]
        for c in range(capacity + 1):
            dp[i][c] = dp[i - 1][c]
            if weight <= c and dp[i - 1][c - weight] + value > dp[i][c]:
                dp[i][c] = dp[i - 1][c - weight] + value
    chosen = []
    c = capacity
    for i in range(n, 0, -1):
        if dp[i][c] != dp[i - 1][c]:
            chosen.append(i - 1)
            c -= items[i - 1][0]
    return dp[n][capacity], chosen[::-1]


items = [(12, 4), (2, 2), (1, 1), (1, 2), (4, 10)]
best, picked = knapsack(items, 15)
print("best value:", best)
print("items:", picked)
for i in picked:
    w, v = items[i]
    print(f"  item {i}: weight={w:>2} value={v:>2}")
