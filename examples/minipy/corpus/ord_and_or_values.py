name = None
display = name or "anonymous"
print(display)
count = 0
print(count or 10, count and 10, 5 and 6, 0 or 0, "" or None)
limit = 3
ok = limit > 0 and limit < 10
print(ok)
