# Measure 4 litres with a 3-litre and a 5-litre jug: fill the 5, pour into the 3, repeat.
small = 0
big = 0
steps = 0
while big != 4 and steps < 20:
    if big == 0:
        big = 5
        print("fill big:", small, big)
    elif small == 3:
        small = 0
        print("empty small:", small, big)
    else:
        pour = min(big, 3 - small)
        big -= pour
        small += pour
        print("pour", pour, ":", small, big)
    steps += 1
print("done in", steps, "steps" if big == 4 else "steps without success")
