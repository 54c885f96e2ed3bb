n = 3
if n > 0:
    print("positive")
else:
    def h():
        return n
print(h())
