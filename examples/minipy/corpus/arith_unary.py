x = 5
print(-x, +x, ~x, --x, -+-x, ~~x, not x, not not x)
print(-True, +False, ~True, -(-9))
