# Forwarding arguments: *args and **kwargs at the call as well as in the def.
def connect(host, port=80, *, timeout=10, retries=3):
    return f"{host}:{port} timeout={timeout} retries={retries}"


defaults = {"timeout": 30, "retries": 5}
print(connect("example.org", **defaults))
print(connect(**{"host": "a.b", "port": 8080}))
print(connect("x", 1, **{"retries": 0}, timeout=2))

address = ("10.0.0.1", 22)
print(connect(*address, retries=1))
print(connect(*address[:1], port=443, **{"timeout": 1}))


def logged(func):
    def wrapper(*args, **kwargs):
        shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
        print(f"call {func.__name__ if False else 'func'}({', '.join(shown)})")
        return func(*args, **kwargs)

    return wrapper


add = logged(lambda a, b=0, **extra: a + b + sum(extra.values()))
print(add(1, 2))
print(add(1, b=5, c=10, d=100))
print(add(*[4], **dict(b=4)))

options = dict(sep=", ", end=".\n")
print(dict(a=1, **{"b": 2}), dict({"x": 1}, y=2), dict([("p", 0)], **options))

sizes = {"small": 1, "large": 3}
merged = {**sizes, "medium": 2, **{"small": 0}}
print(merged)


def describe(name, *tags, sep="/", **attrs):
    return name + ":" + sep.join(tags) + "".join(f" {k}={v}" for k, v in sorted(attrs.items()))


print(describe("n", *"abc", **{"sep": "-", "z": 1, "a": 2}))
print(describe(*["m", "x"], color="red", sep=""))
print(int(*["ff"], **{"base": 16}), sum([1, 2], **{"start": 10}))
