TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of
Darkness, it was the spring of hope, it was the winter of despair."""

words = [w.strip(".,;:!?").lower() for w in TEXT.split()]
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1

print("words:", len(words), "distinct:", len(freq))
print("lines:", len(TEXT.splitlines()), "chars:", len(TEXT))
for word, n in sorted(freq.items(), key=lambda p: (-p[1], p[0]))[:6]:
    print(f"  {word:<8}{n:>3} {'#' * n}")
longest = max(words, key=len)
print("longest:", longest, len(longest))
by_len = {}
for w in set(words):
    by_len.setdefault(len(w), []).append(w)
for n in sorted(by_len):
    print(n, sorted(by_len[n]))
vowels = sum(TEXT.lower().count(v) for v in "aeiou")
print("vowels:", vowels, "ratio %:", vowels * 100 // sum(c.isalpha() for c in TEXT))
caps = [w for w in TEXT.split() if w[0].isupper()]
print("capitalized:", caps)
print(TEXT.splitlines()[0].title())
print(" ".join(reversed(TEXT.split()[:8])))
