moves = 0
def hanoi(n, a, b, c):
    global moves
    if n == 0:
        return
    hanoi(n - 1, a, c, b)
    moves += 1
    hanoi(n - 1, c, b, a)
for n in range(1, 12):
    moves = 0
    hanoi(n, 1, 2, 3)
    print(n, moves)
