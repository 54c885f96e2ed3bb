# Names bound by a compiled module loop, then a misspelled one (a NameError naming it).
limit = 5000
running_total = 0
for i in range(limit):
    running_total += i % 17
last_value = running_total * 2
print(running_total)
print(runing_total)
