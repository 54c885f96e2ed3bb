booked = 0
capacity = 8


def book(seats):
    global booked
    if seats <= 0:
        print("nothing to book")
        return False
    if booked + seats > capacity:
        print("only", capacity - booked, "left, cannot book", seats)
        return False
    booked += seats
    print("booked", seats, "now", booked, "of", capacity)
    return True


results = 0
for request in range(-1, 6, 2):
    results += book(request)
print("successful bookings", results)
