sum(iterable=[1])
