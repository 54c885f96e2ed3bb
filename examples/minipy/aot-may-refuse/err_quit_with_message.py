count = 0
for word in "a b c".split():
    count += 1
if count == 3:
    quit("three words, stopping")
print("not reached")
