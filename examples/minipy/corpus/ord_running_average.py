total = 0
count = 0
for reading in range(3, 40, 4):
    total += reading
    count += 1
    avg = total // count
    print("after", count, "readings average", avg, "remainder", total % count)
