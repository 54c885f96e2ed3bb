def winner(a, b, c):
    if a ^ b ^ c:
        return "first"
    return "second"


print(winner(1, 2, 3), winner(1, 1, 1), winner(4, 5, 6), winner(0, 0, 0))
