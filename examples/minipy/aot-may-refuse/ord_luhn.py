def luhn_ok(number):
    digits = [int(d) for d in str(number) if d.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def isbn10_ok(s):
    s = s.replace("-", "")
    if len(s) != 10:
        return False
    total = 0
    for i, ch in enumerate(s):
        if ch == "X" and i == 9:
            v = 10
        elif ch.isdigit():
            v = int(ch)
        else:
            return False
        total += (10 - i) * v
    return total % 11 == 0


def leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def weekday(y, m, d):
    if m < 3:
        m += 12
        y -= 1
    k, j = y % 100, y // 100
    h = (d + 13 * (m + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7
    return ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"][h]


for n in ["4539 1488 0343 6467", "8273 1232 7352 0569", "79927398713"]:
    print(n, luhn_ok(n))
for s in ["0-306-40615-2", "0-306-40615-3", "3-598-21508-8", "3-598-21507-X"]:
    print(s, isbn10_ok(s))
print([y for y in range(1896, 1912) if leap(y)], leap(2000), leap(1900))
print(weekday(2000, 1, 1), weekday(1969, 7, 20), weekday(2024, 2, 29))
month = [(d, weekday(2024, 2, d)) for d in range(1, 30)]
print(" ".join(f"{d:2}" for d, w in month if w == "Mon"))
