def prefix_function(p):
    pi = [0] * len(p)
    k = 0
    for i in range(1, len(p)):
        while k > 0 and p[i] != p[k]:
            k = pi[k - 1]
        if p[i] == p[k]:
            k += 1
        pi[i] = k
    return pi


def find_all(text, pattern):
    if not pattern:
        return list(range(len(text) + 1))
    pi = prefix_function(pattern)
    hits = []
    k = 0
    for i, ch in enumerate(text):
        while k > 0 and ch != pattern[k]:
            k = pi[k - 1]
        if ch == pattern[k]:
            k += 1
        if k == len(pattern):
            hits.append(i - k + 1)
            k = pi[k - 1]
    return hits


text = "abracadabra abracadabra cadabra" * 3
for pat in ["abra", "cad", "a", "zzz", "abracadabra ", "ra c"]:
    hits = find_all(text, pat)
    naive = [i for i in range(len(text) - len(pat) + 1) if text[i:i + len(pat)] == pat]
    assert hits == naive, pat
    print(f"{pat!r}: {len(hits)} hits, first {hits[:5]}, str.count {text.count(pat)}")
print(prefix_function("aabaaab"))
print(find_all("aaa", ""))
