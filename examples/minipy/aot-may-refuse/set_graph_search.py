# Breadth-first search over a grid maze, with a set of visited cells, the way one writes
# it without imports.
MAZE = [
    "#########",
    "#S..#...#",
    "#.#.#.#.#",
    "#.#...#.#",
    "#.#####.#",
    "#...#..E#",
    "#########",
]


def find(ch):
    for r, row in enumerate(MAZE):
        c = row.find(ch)
        if c >= 0:
            return (r, c)
    return None


def neighbours(cell):
    r, c = cell
    out = []
    for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0)):
        if MAZE[r + dr][c + dc] != "#":
            out.append((r + dr, c + dc))
    return out


start, end = find("S"), find("E")
seen = {start}
frontier = [start]
steps = 0
while frontier and end not in seen:
    nxt = []
    for cell in frontier:
        for n in neighbours(cell):
            if n not in seen:
                seen.add(n)
                nxt.append(n)
    frontier = nxt
    steps += 1
print("steps:", steps if end in seen else None)
print("visited:", len(seen))
walls = {(r, c) for r, row in enumerate(MAZE) for c, ch in enumerate(row) if ch == "#"}
print("walls:", len(walls), "open:", len(MAZE) * len(MAZE[0]) - len(walls))
print(sorted(seen)[:5])
letters = set("".join(MAZE)) - {"#", "."}
print(sorted(letters), {"S", "E"} <= letters, letters.isdisjoint({"x"}))
