widths = {"name": 10, "count": 5}
for key in widths:
    print(format(key, ">" + str(widths[key])))
print(format(3, widths["count"]))
