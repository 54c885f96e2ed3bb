# Word frequencies of a generated text, through a dict.
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
text = []
for i in range(300000):
    text.append(words[(i * i + 3 * i) % 10] + str(i % 7))
counts = {}
for w in text:
    counts[w] = counts.get(w, 0) + 1
top = sorted(counts.items())
print(len(counts), top[:3], max(counts.values()))
