def edit_distance(a, b):
    """Levenshtein distance with a rolling row."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev = cur
    return prev[-1]


def closest(word, vocabulary):
    best = None
    best_d = None
    for cand in vocabulary:
        d = edit_distance(word, cand)
        if best_d is None or d < best_d or (d == best_d and cand < best):
            best, best_d = cand, d
    return best, best_d


vocab = ["apple", "apply", "ample", "maple", "angle", "ankle", "applet", "happy", "sapling"]
for w in ["appel", "mapel", "hapy", "angel", "xyz", ""]:
    c, d = closest(w, vocab)
    print(f"{w!r:10} -> {c:8} (distance {d})")

pairs = [("kitten", "sitting"), ("flaw", "lawn"), ("intention", "execution"), ("", "abc")]
table = {p: edit_distance(*p) for p in pairs}
for (a, b), d in sorted(table.items(), key=lambda kv: (kv[1], kv[0])):
    print("%-10s %-10s %d" % (a, b, d))
