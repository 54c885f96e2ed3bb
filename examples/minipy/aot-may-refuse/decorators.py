# Decorators: a cache, one with arguments, one on a nested function.
def memoize(func):
    cache = {}

    def inner(n):
        if n not in cache:
            cache[n] = func(n)
        return cache[n]

    return inner


@memoize
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(150))


def repeat(times):
    def wrap(f):
        def run(*a):
            return [f(*a) for _ in range(times)]

        return run

    return wrap


@repeat(3)
def hello(name):
    return "hi " + name


print(hello("ann"))


def main():
    @memoize
    def steps(n):
        return 0 if n == 1 else 1 + steps(n // 2 if n % 2 == 0 else 3 * n + 1)

    print(max(range(1, 3000), key=steps))


if __name__ == "__main__":
    main()
