def hanoi(n, src, dst, via, moves):
    if n == 0:
        return
    hanoi(n - 1, src, via, dst, moves)
    moves.append((src, dst))
    hanoi(n - 1, via, dst, src, moves)


pegs = {"A": [3, 2, 1], "B": [], "C": []}
moves = []
hanoi(3, "A", "C", "B", moves)
for src, dst in moves:
    disk = pegs[src].pop()
    if pegs[dst] and pegs[dst][-1] < disk:
        print("illegal move!")
    pegs[dst].append(disk)
    print(f"move disk {disk} from {src} to {dst}: {pegs}")
print(len(moves), "moves")
counts = [0] * 11
for n in range(11):
    m = []
    hanoi(n, 1, 3, 2, m)
    counts[n] = len(m)
print(counts)
