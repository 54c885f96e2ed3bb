def f(*args, **kwargs):
    return args, kwargs


print(f(**{"a": 1}, *[2]))
