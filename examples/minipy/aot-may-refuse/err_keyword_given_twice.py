def outer():
    def box(w, h=2, label="box"):
        return w

    return box


b = outer()
print(b(h=1, w=0))
print(b(1, w=2))
