def outer():
    def read():
        return later

    first = read()
    later = 2
    return first


print(outer())
