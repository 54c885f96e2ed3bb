d = {1: 2}
d.pop(5)
