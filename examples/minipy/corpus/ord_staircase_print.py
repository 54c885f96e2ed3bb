def row(width):
    if width == 1:
        print("#")
    elif width == 2:
        print("##")
    elif width == 3:
        print("###")
    else:
        print("####")


for step in range(1, 5):
    row(step)
for step in range(4, 0, -1):
    row(step)
