def log(message):
    print("log:", message)


count = log("starting")
print("count is", count)
print(count + 1)
