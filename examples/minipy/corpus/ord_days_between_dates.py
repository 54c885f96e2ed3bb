def days_from_civil(y, m, d):
    """Days since 1970-01-01 (Howard Hinnant's algorithm, integers only)."""
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


print(days_from_civil(1970, 1, 1), days_from_civil(2000, 3, 1), days_from_civil(2024, 2, 29))
print(days_from_civil(2024, 12, 25) - days_from_civil(2024, 1, 1))
print((days_from_civil(2026, 12, 3) + 4) % 7)
