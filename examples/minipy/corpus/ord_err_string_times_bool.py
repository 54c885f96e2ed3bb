count = 3
ready = count > 2
print("ready:", ready)
print("total" - ready)
