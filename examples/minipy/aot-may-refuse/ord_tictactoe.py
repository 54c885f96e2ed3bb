# Tic-tac-toe winner check over a few boards
def winner(board):
    lines = [board[i] for i in range(3)]
    lines += ["".join(board[r][c] for r in range(3)) for c in range(3)]
    lines.append("".join(board[i][i] for i in range(3)))
    lines.append("".join(board[i][2 - i] for i in range(3)))
    for line in lines:
        if line in ("XXX", "OOO"):
            return line[0]
    return None


boards = [
    ["XOX", "OXO", "OXX"],
    ["OOO", "XX.", "X.."],
    ["XO.", ".X.", "O.O"],
]
for b in boards:
    w = winner(b)
    print("\n".join(b))
    print("winner:", w if w else "nobody")
    print("-" * 5)
