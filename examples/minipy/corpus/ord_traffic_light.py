state = "red"
timer = 0
changes = 0
for second in range(100):
    timer += 1
    if state == "red" and timer == 30:
        state = "green"
        timer = 0
        changes += 1
    elif state == "green" and timer == 25:
        state = "yellow"
        timer = 0
        changes += 1
    elif state == "yellow" and timer == 5:
        state = "red"
        timer = 0
        changes += 1
    if timer == 0:
        print("second", second, "now", state)
print(changes, "changes; ends", state, "after", timer, "seconds")
