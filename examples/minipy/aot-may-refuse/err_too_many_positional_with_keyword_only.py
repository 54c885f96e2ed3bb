def area(w, h=1, *, unit="m"):
    return str(w * h) + unit


print(area(2, 3, unit="cm"))
print(area(2, 3, 4, unit="cm"))
