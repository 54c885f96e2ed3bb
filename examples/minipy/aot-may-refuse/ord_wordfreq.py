text = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the epoch
of incredulity, it was the season of Light, it was the season of Darkness"""

words = []
for raw in text.split():
    w = raw.strip(".,;:!?").lower()
    if w:
        words.append(w)

freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1

ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
print(f"{len(words)} words, {len(freq)} distinct")
for word, n in ranked[:8]:
    print(f"{word:<12}{n:>3} {'*' * n}")
longest = max(freq, key=len)
print("longest:", longest, len(longest))
by_len = {}
for w in freq:
    by_len.setdefault(len(w), []).append(w)
for k in sorted(by_len):
    print(k, sorted(by_len[k]))
