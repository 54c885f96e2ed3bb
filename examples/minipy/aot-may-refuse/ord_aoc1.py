import sys

DATA = """\
467..114..
...*......
..35..633.
......#...
617*......
.....+.58.
..592.....
......755.
...$.*....
.664.598..
"""


def parse(text):
    return [list(line) for line in text.splitlines() if line]


def numbers(grid):
    found = []
    for r, row in enumerate(grid):
        c = 0
        while c < len(row):
            if row[c].isdigit():
                start = c
                while c < len(row) and row[c].isdigit():
                    c += 1
                found.append((int("".join(row[start:c])), r, start, c - 1))
            else:
                c += 1
    return found


def adjacent(grid, r, c0, c1):
    for rr in range(r - 1, r + 2):
        for cc in range(c0 - 1, c1 + 2):
            if 0 <= rr < len(grid) and 0 <= cc < len(grid[0]):
                ch = grid[rr][cc]
                if not ch.isdigit() and ch != ".":
                    yield_pos = (rr, cc, ch)
                    return yield_pos
    return None


grid = parse(DATA)
part_sum = 0
gears = {}
for value, r, c0, c1 in numbers(grid):
    hit = adjacent(grid, r, c0, c1)
    if hit:
        part_sum += value
        if hit[2] == "*":
            gears.setdefault(hit[:2], []).append(value)
print("part 1:", part_sum)
ratio = sum(v[0] * v[1] for v in gears.values() if len(v) == 2)
print("part 2:", ratio)
print(sorted(gears.items()))
print(max(gears.items(), key=lambda kv: sum(kv[1]))[0], len(sys.argv))
