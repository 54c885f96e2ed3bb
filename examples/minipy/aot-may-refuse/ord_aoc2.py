games = """Game 1: 3 blue, 4 red; 1 red, 2 green, 6 blue; 2 green
Game 2: 1 blue, 2 green; 3 green, 4 blue, 1 red; 1 green, 1 blue
Game 3: 8 green, 6 blue, 20 red; 5 blue, 4 red, 13 green; 5 green, 1 red
Game 4: 1 green, 3 red, 6 blue; 3 green, 6 red; 3 green, 15 blue, 14 red
Game 5: 6 red, 1 blue, 3 green; 2 blue, 1 red, 2 green"""

limits = {"red": 12, "green": 13, "blue": 14}
possible = 0
power_sum = 0
for line in games.splitlines():
    head, _, body = line.partition(": ")
    gid = int(head.split()[1])
    most = dict.fromkeys(limits, 0)
    for draw in body.split("; "):
        for part in draw.split(", "):
            n, colour = part.split()
            most[colour] = max(most[colour], int(n))
    if all(most[c] <= limits[c] for c in limits):
        possible += gid
    p = 1
    for v in most.values():
        p *= v
    power_sum += p
    print(gid, most)
print(possible, power_sum)


def memo_paths(grid):
    rows, cols = len(grid), len(grid[0])
    cache = {}

    def paths(r, c):
        if (r, c) in cache:
            return cache[(r, c)]
        if r >= rows or c >= cols or grid[r][c] == "#":
            return 0
        if (r, c) == (rows - 1, cols - 1):
            return 1
        cache[(r, c)] = paths(r + 1, c) + paths(r, c + 1)
        return cache[(r, c)]

    return paths(0, 0)


print(memo_paths(["....", ".#..", "...#", "#..."]), memo_paths(["." * 16] * 16))
pairs = list(zip("abcdef", "abcdef"[1:]))
print(pairs, ["".join(p) for p in pairs if p[0] < p[1]])
