height = 1000
bounces = 0
distance = 0
while height > 10:
    distance += height
    height = height * 3 // 5
    distance += height
    bounces += 1
    print("bounce", bounces, "back up to", height)
print("stopped after", bounces, "bounces,", distance, "travelled")
