def make_adder(n):
    def add(x):
        return x + n
    return add


add3 = make_adder(3)
print(add3(4), make_adder(10)(5) if False else 0)


def counter():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    return inc


c = counter()
c()
c()
print(c())
square = lambda x: x * x
print(square(7), sorted([3, -1, 2], key=lambda v: -v))
fs = [lambda: i for i in range(3)]
print([f() for f in fs])
gs = [lambda i=i: i for i in range(3)]
print([g() for g in gs])


def outer():
    x = 1

    def mid():
        def inner():
            return x * 10

        return inner()

    x = 5
    return mid()


print(outer())


def fib_memo():
    memo = {}

    def fib(n):
        if n < 2:
            return n
        if n not in memo:
            memo[n] = fib(n - 1) + fib(n - 2)
        return memo[n]

    return fib(80)


print(fib_memo())


def acc(items, total=None):
    if total is None:
        total = []
    total.extend(items)
    return total


print(acc([1]), acc([2], [0]))
pairs = [(1, "b"), (2, "a")]
pairs.sort(key=lambda p: p[1])
print(pairs, max(pairs, key=lambda p: p[0]), min([5, 3, 9], key=lambda v: abs(v - 4)))


def memoize(f):
    cache = {}

    def wrapper(n):
        if n not in cache:
            cache[n] = f(n)
        return cache[n]

    return wrapper


def slow_fib(n):
    return n if n < 2 else slow_fib(n - 1) + slow_fib(n - 2)


slow_fib = memoize(slow_fib)
print(slow_fib(90))


def compose(f, g):
    return lambda x: f(g(x))


inc_then_double = compose(lambda x: x * 2, lambda x: x + 1)
print(inc_then_double(5), compose(str, abs)(-12) + "!")


def make_stack():
    items = []

    def push(x):
        items.append(x)
        return len(items)

    def pop():
        return items.pop()

    return push, pop


push, pop = make_stack()
push(1)
push(2)
print(pop(), push(9), pop(), pop())
