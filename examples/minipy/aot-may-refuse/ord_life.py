def step(cells, width, height):
    new = set()
    counts = {}
    for (x, y) in cells:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    key = ((x + dx) % width, (y + dy) % height)
                    counts[key] = counts.get(key, 0) + 1
    for cell, n in counts.items():
        if n == 3 or (n == 2 and cell in cells):
            new.add(cell)
    return new


def show(cells, width, height):
    for y in range(height):
        print("".join("#" if (x, y) in cells else "." for x in range(width)))


glider = {(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)}
cells = glider
for gen in range(4):
    print("generation", gen)
    show(cells, 6, 6)
    cells = step(cells, 6, 6)
for _ in range(20):
    cells = step(cells, 6, 6)
print(sorted(cells))
