# Default parameter values (constants), as ordinary code uses them.
def greet(name, greeting="Hello", times=1, flag=None):
    for i in range(times):
        print(greeting, name, flag)
    return times


def power(base, exp=2):
    result = 1
    for i in range(exp):
        result *= base
    return result


def clamp(x, low=-10, high=10):
    return max(low, min(x, high))


greet("world")
greet("you", "Hi")
greet("all", "Hey", 2, True)
print(power(3), power(2, 10), power(-2, 3))
total = 0
for k in range(2000):
    total += power(k % 7) + clamp(k % 25 - 12)
print(total)
print(clamp(-50), clamp(50), clamp(3, 5), clamp(3, 0, 2))
