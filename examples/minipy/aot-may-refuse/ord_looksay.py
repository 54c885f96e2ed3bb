def look_and_say(s):
    out = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append(str(j - i) + s[i])
        i = j
    return "".join(out)


def rle(s):
    if not s:
        return []
    runs = [[s[0], 1]]
    for ch in s[1:]:
        if ch == runs[-1][0]:
            runs[-1][1] += 1
        else:
            runs.append([ch, 1])
    return [(c, n) for c, n in runs]


s = "1"
for _ in range(10):
    print(s)
    s = look_and_say(s)
print(len(s))
print(rle("aaabccddddde"))
print("".join(c * n for c, n in rle("wwwwbbbw")))


def happy(n):
    seen = set()
    while n != 1 and n not in seen:
        seen.add(n)
        n = sum(int(d) ** 2 for d in str(n))
    return n == 1


print([n for n in range(1, 50) if happy(n)])


def kaprekar(n):
    steps = 0
    while n != 6174:
        digits = sorted(f"{n:04d}")
        n = int("".join(reversed(digits))) - int("".join(digits))
        steps += 1
    return steps


print([kaprekar(n) for n in (3524, 2111, 9831, 1000)])
