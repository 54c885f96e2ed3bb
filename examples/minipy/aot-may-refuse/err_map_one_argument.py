print(list(map(abs, [-1])))
print(list(map(abs)))
