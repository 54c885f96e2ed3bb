floor = 0
travelled = 0


def go(to):
    global floor, travelled
    if to < 0 or to > 12:
        print("no floor", to)
        return
    direction = "up" if to > floor else "down" if to < floor else "nowhere"
    travelled += abs(to - floor)
    print("from", floor, "going", direction, "to", to)
    floor = to


go(5)
go(2)
go(2)
go(13)
go(12)
go(0)
print("travelled", travelled, "floors")
