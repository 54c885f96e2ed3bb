for n in range(-3, 4):
    print(n, "neg" if n < 0 else "zero" if n == 0 else "pos", (n if n > 0 else -n))
