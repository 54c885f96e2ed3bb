def move(x, y):
    return x + y


point = {"x": 1, "y": 2}
print(move(**point))
point["z"] = 3
print(move(**point))
