def fee(minutes):
    if minutes <= 15:
        return 0
    hours = (minutes + 59) // 60
    cost = 300 * min(hours, 2) + 200 * max(hours - 2, 0)
    return min(cost, 2500)


for minutes in range(0, 24 * 60 + 1, 135):
    print(minutes, "minutes:", fee(minutes), "cents")
