TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness"""


def words(text):
    out = []
    for raw in text.split():
        w = raw.strip(",.").lower()
        if w:
            out.append(w)
    return out


def count(ws):
    counts = {}
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
    return counts


def by_frequency(item):
    word, n = item
    return (-n, word)


counts = count(words(TEXT))
print(len(counts), "distinct words")
for word, n in sorted(counts.items(), key=by_frequency)[:6]:
    print(word, n)
lengths = {}
for w in counts:
    lengths.setdefault(len(w), []).append(w)
for n in sorted(lengths):
    print(n, sorted(lengths[n]))
print({w: n for w, n in counts.items() if n > 3})
print("was" in counts, "cheese" in counts, counts.pop("it"), len(counts))
