# Comprehensions entered in the middle of their loop, then stopping part way.
big = [x ** 5 for x in range(20000)]
print(len(big), big[6207], big[6208], big[-1])

it = iter(range(50000))
firsts = [x * 2 for x in it if x < 30000]
print(len(firsts), firsts[-1], next(it, "done"))

r = range(3, 90000, 7)
pairs = [[x, x * x * x] for x in r]
print(len(pairs), pairs[-1])

def squares_upto(n):
    return [i * i * i * i for i in range(n)]

s = squares_upto(60000)
print(s[-1], sum(s[:10]))
print(sum([x * 3 for x in range(300000)]))
flags = [x % 3 == 0 for x in range(100000)]
print(flags.count(True))
