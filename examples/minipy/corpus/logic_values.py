print(0 or None, None or 0, 3 and None, None and 3, False or True, True and 0)
print(1 if 0 else 2, 1 if None else 2, 1 if 5 else 2, (3 if True else 4) + 1)
x = 10
print("big" if x > 5 else "small", "even" if x % 2 == 0 else "odd")
