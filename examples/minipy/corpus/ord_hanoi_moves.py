moves = 0


def hanoi(n, source, target, spare):
    global moves
    if n == 0:
        return
    hanoi(n - 1, source, spare, target)
    moves += 1
    if moves <= 7:
        print("move disk", n, "from", source, "to", target)
    hanoi(n - 1, spare, target, source)


hanoi(3, "A", "C", "B")
for disks in range(4, 11):
    moves = 0
    hanoi(disks, "L", "R", "M")
    print(disks, "disks:", moves, "moves", moves == (1 << disks) - 1)
