for i in range(0):
    def g():
        return 2
print("a")
print(g())
