def area(width, height=1):
    return width * height


print(area(3), area(3, 4))
print(area(3, 4, 5))
