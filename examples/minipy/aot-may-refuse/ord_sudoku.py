PUZZLE = """
53..7....
6..195...
.98....6.
8...6...3
4..8.3..1
7...2...6
.6....28.
...419..5
....8..79
"""


def parse(text):
    rows = [line for line in text.strip().splitlines()]
    return [[0 if ch == "." else int(ch) for ch in row] for row in rows]


def candidates(board, r, c):
    used = set(board[r])
    used |= {board[i][c] for i in range(9)}
    br, bc = 3 * (r // 3), 3 * (c // 3)
    used |= {board[i][j] for i in range(br, br + 3) for j in range(bc, bc + 3)}
    return [d for d in range(1, 10) if d not in used]


def solve(board):
    best = None
    for r in range(9):
        for c in range(9):
            if board[r][c] == 0:
                cands = candidates(board, r, c)
                if best is None or len(cands) < len(best[2]):
                    best = (r, c, cands)
    if best is None:
        return True
    r, c, cands = best
    for d in cands:
        board[r][c] = d
        if solve(board):
            return True
    board[r][c] = 0
    return False


board = parse(PUZZLE)
print(solve(board))
for i, row in enumerate(board):
    if i and i % 3 == 0:
        print("------+-------+------")
    print(" | ".join(" ".join(str(d) for d in row[k:k + 3]) for k in (0, 3, 6)))
print(all(sorted(row) == list(range(1, 10)) for row in board))
