# Zeller's congruence: 0 = Saturday.
def weekday(year, month, day):
    if month < 3:
        month += 12
        year -= 1
    k = year % 100
    j = year // 100
    return (day + 13 * (month + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7


def name(d):
    if d == 0:
        return "Saturday"
    if d == 1:
        return "Sunday"
    if d == 2:
        return "Monday"
    if d == 3:
        return "Tuesday"
    if d == 4:
        return "Wednesday"
    if d == 5:
        return "Thursday"
    return "Friday"


print(name(weekday(2000, 1, 1)), name(weekday(1969, 7, 20)), name(weekday(2026, 12, 3)))
