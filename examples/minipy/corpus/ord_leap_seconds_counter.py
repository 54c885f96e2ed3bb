seconds = 0
minutes = 0
hours = 0
for tick in range(10000):
    seconds += 1
    if seconds == 60:
        seconds = 0
        minutes += 1
        if minutes == 60:
            minutes = 0
            hours += 1
print(hours, minutes, seconds)
print(10000 // 3600, 10000 % 3600 // 60, 10000 % 60)
