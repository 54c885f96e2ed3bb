def area(width, height):
    return width * height


sizes = [3, 4]
print(area(*sizes))
print(area(**sizes))
