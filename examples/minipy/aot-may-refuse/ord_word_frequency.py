words = "the cat sat on the mat with the hat".split()
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
for word, n in top[:3]:
    print(f"{word:<5}{n}")
print(*words[:3])
print(*[1, 2, 3], sep=", ")
letters = [c for c in "hello world" if c.isalpha()]
print("".join(sorted(set(letters))))
print(len(words))
