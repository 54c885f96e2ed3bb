GRID = [
    "S.#.......",
    ".##.####..",
    "....#..#.#",
    "#.#...#...",
    "..#.#.##.#",
    ".##.#....E",
]

def find(ch):
    for r, row in enumerate(GRID):
        c = row.find(ch)
        if c >= 0:
            return r, c
    raise KeyError(ch)

def bfs(start, goal):
    prev = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for cell in frontier:
            if cell == goal:
                path = []
                while cell:
                    path.append(cell)
                    cell = prev[cell]
                return path[::-1]
            for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                r, c = cell[0] + dr, cell[1] + dc
                if 0 <= r < len(GRID) and 0 <= c < len(GRID[0]) and GRID[r][c] != "#" and (r, c) not in prev:
                    prev[(r, c)] = cell
                    nxt.append((r, c))
        frontier = nxt
    return None

def count_paths(rows, cols):
    ways = [[1] * cols for _ in range(rows)]
    for r in range(1, rows):
        for c in range(1, cols):
            ways[r][c] = ways[r - 1][c] + ways[r][c - 1]
    return ways[-1][-1]

start, goal = find("S"), find("E")
path = bfs(start, goal)
print("steps:", len(path) - 1)
canvas = [list(row) for row in GRID]
for r, c in path[1:-1]:
    canvas[r][c] = "*"
print("\n".join("".join(row) for row in canvas))
print(count_paths(3, 3), count_paths(10, 10), count_paths(20, 20))
find("X")
