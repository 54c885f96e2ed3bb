def is_leap(year):
    if year % 400 == 0:
        return True
    if year % 100 == 0:
        return False
    return year % 4 == 0


count = 0
for y in range(1890, 2030):
    if is_leap(y):
        count += 1
print("leap years:", count)
print(is_leap(1900), is_leap(2000), is_leap(2024), is_leap(2023))
