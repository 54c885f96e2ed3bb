# __name__ of functions (decorators print it), of types, of builtins and methods.
def traced(func):
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        print(f"{func.__name__}{args} -> {result}")
        return result

    return wrapper


@traced
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


gcd(84, 36)
square = traced(lambda x: x * x)
square(12)


def make_counter():
    def counter():
        return 1

    return counter


print(make_counter().__name__, make_counter().__qualname__, traced(gcd).__qualname__)
for value in [7, "seven", [7], (7,), {7: 7}, {7}, None, False, range(7), gcd, len]:
    print(type(value).__name__, end=" ")
print()
print(len.__name__, str.__name__, str.upper.__qualname__, "x".join.__name__, [].append.__qualname__)
print(dict.fromkeys("abracadabra"), "".join(dict.fromkeys("mississippi")), {}.fromkeys(range(3), 0))
