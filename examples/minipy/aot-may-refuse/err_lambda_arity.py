def table():
    def cell(r, c):
        return r * c

    print(cell(2, 3))
    return cell(4)


area = lambda w, h=1: w * h
print(area(3), area(3, 4))
try_it = table
print(try_it())
