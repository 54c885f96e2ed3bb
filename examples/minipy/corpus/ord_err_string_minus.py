label = "total"
count = 3
print(label, count)
print(label - count)
