def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in(month, year):
    if month == 2:
        return 29 if is_leap(year) else 28
    if month == 4 or month == 6 or month == 9 or month == 11:
        return 30
    return 31


def day_of_year(year, month, day):
    total = day
    for m in range(1, month):
        total += days_in(m, year)
    return total


print(day_of_year(2023, 1, 1), day_of_year(2023, 12, 31), day_of_year(2024, 12, 31))
print(day_of_year(2024, 3, 1), day_of_year(1900, 3, 1), day_of_year(2000, 3, 1))
