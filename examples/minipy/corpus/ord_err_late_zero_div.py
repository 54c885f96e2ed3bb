def rate(done, total):
    return done * 100 // total


for total in range(3, -1, -1):
    print(rate(1, total))
