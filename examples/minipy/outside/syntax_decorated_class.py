def frozen(cls):
    return cls


@frozen
class Point:
    pass
