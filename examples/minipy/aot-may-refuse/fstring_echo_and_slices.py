print(isinstance(3, (int, str)), isinstance("a", (list, tuple)))
a = b = []
a.append(1)
print(b, round(5), abs(-2))
x = [1, 2, 3]
x[1:2] = [7, 8, 9]
print(x, x[::2], x[-2:])
s = "abc"
print(s * 2, s.upper().lower(), f"{s!r:>8}", f"{len(s)=}")
