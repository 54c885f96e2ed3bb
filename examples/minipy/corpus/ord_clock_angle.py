def angle(hours, minutes):
    """The smaller angle between the hands, in half degrees (an int)."""
    hour_hand = (hours % 12) * 60 + minutes
    minute_hand = minutes * 12
    diff = abs(hour_hand - minute_hand)
    return min(diff, 720 - diff)


def show(h, m):
    half = angle(h, m)
    print(h, m, half // 2, "and a half" if half % 2 else "exactly")


show(3, 0)
show(6, 0)
show(9, 45)
show(12, 30)
show(1, 5)
show(11, 59)
