def register(func):
    handlers.append(func)
    return func


handlers = []


@register
def on_start():
    return "start"


print([h() for h in handlers])


def check_positive(func):
    def inner(n):
        assert n > 0, f"{func.__name__} needs a positive number, got {n}"
        return func(n)

    return inner


@check_positive
def halve(n):
    return n // 2


print(halve(10))
print(halve(-4))
