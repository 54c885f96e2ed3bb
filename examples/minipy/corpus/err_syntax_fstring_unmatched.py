def area(w, h):
    return w * h


print(f"area: {area(3, 4))}")
