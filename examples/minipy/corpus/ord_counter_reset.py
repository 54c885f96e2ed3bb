streak = 0
longest = 0
for i in range(100):
    if (i * 17) % 5 != 0:
        streak += 1
        if streak > longest:
            longest = streak
    else:
        streak = 0
print(longest)
