DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(y, m):
    if m == 2:
        return 29 if is_leap(y) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def day_number(y, m, d):
    """Days since 0001-01-01 (day 0 was a Monday)."""
    y1 = y - 1
    n = y1 * 365 + y1 // 4 - y1 // 100 + y1 // 400
    n += sum(days_in_month(y, k) for k in range(1, m))
    return n + d - 1


def weekday(y, m, d):
    return DAYS[day_number(y, m, d) % 7]


def calendar(y, m):
    lines = [f"{MONTHS[m - 1]} {y}".center(20).rstrip(), "Mo Tu We Th Fr Sa Su"]
    first = day_number(y, m, 1) % 7
    cells = ["  "] * first + [f"{d:2d}" for d in range(1, days_in_month(y, m) + 1)]
    for i in range(0, len(cells), 7):
        lines.append(" ".join(cells[i:i + 7]))
    return "\n".join(lines)


for date in [(1969, 7, 20), (2000, 1, 1), (2024, 2, 29), (1900, 3, 1), (2026, 12, 7)]:
    print("%04d-%02d-%02d" % date, weekday(*date))
print(calendar(2024, 2))
print(sum(1 for y in range(1901, 2001) for m in range(1, 13) if day_number(y, m, 1) % 7 == 6))
leaps = [y for y in range(1890, 1920) if is_leap(y)]
print(leaps)
print(day_number(2026, 12, 7) - day_number(1970, 1, 1))
