def color_code(name):
    if name == "red":
        return 1
    if name == "green":
        return 2
    if name == "blue":
        return 3
    return 0


print(color_code("red"), color_code("blue"), color_code("purple"), color_code(""))
