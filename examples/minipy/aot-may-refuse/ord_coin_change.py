def ways(coins, amount):
    table = [0] * (amount + 1)
    table[0] = 1
    for c in coins:
        for a in range(c, amount + 1):
            table[a] += table[a - c]
    return table[amount]


def fewest(coins, amount):
    INF = amount + 1
    best = [0] + [INF] * amount
    choice = [None] * (amount + 1)
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and best[a - c] + 1 < best[a]:
                best[a] = best[a - c] + 1
                choice[a] = c
    if best[amount] == INF:
        return None
    used = []
    while amount:
        used.append(choice[amount])
        amount -= choice[amount]
    return sorted(used, reverse=True)


coins = [1, 2, 5, 10, 20, 50, 100, 200]
print("ways to make 200:", ways(coins, 200))
print("ways to make 1000:", ways(coins, 1000))
for amt in [0, 3, 11, 63, 289]:
    print(amt, fewest([1, 5, 10, 25], amt))
print(fewest([4, 7], 5), fewest([4, 7], 18))
