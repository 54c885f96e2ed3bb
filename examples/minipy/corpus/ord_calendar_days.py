def days_in_month(month, year):
    if month == 2:
        if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            return 29
        return 28
    if month == 4 or month == 6 or month == 9 or month == 11:
        return 30
    return 31


total = 0
for m in range(1, 13):
    total += days_in_month(m, 2024)
print(total, days_in_month(2, 1900), days_in_month(2, 2000))
