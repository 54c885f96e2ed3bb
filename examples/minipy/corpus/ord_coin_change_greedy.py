def coins(amount):
    count = 0
    for c in range(4):
        value = 25 if c == 0 else 10 if c == 1 else 5 if c == 2 else 1
        count += amount // value
        amount %= value
    return count


print(coins(0), coins(41), coins(99), coins(100))
