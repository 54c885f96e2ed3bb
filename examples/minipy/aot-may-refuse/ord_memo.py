calls = 0


def fib(n, memo={}):
    global calls
    calls += 1
    if n in memo:
        return memo[n]
    result = n if n < 2 else fib(n - 1) + fib(n - 2)
    memo[n] = result
    return result


print(fib(100), calls)
print(fib(200))


def make_counter():
    count = 0

    def inc(by=1):
        nonlocal count
        count += by
        return count

    return inc


c = make_counter()
c()
c()
print(c(10))


def collatz_lengths(limit):
    cache = {1: 1}

    def length(n):
        seq = []
        while n not in cache:
            seq.append(n)
            n = n // 2 if n % 2 == 0 else 3 * n + 1
        k = cache[n]
        for m in reversed(seq):
            k += 1
            cache[m] = k
        return k

    return max(range(1, limit), key=length), len(cache)


print(collatz_lengths(10000))


def ways(amount, coins):
    table = [1] + [0] * amount
    for coin in coins:
        for a in range(coin, amount + 1):
            table[a] += table[a - coin]
    return table[amount]


print(ways(100, [1, 5, 10, 25, 50]), ways(1000, [1, 2, 5, 10, 20, 50, 100, 200]))
