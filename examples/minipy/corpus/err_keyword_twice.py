def area(width, height=1):
    return width * height


print(area(height=4, width=2))
print(area(2, width=3))
