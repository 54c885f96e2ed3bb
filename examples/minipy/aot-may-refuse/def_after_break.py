while True:
    print("once")
    break
    def k():
        return 4
print(k())
