# Scanning text by position: find() and index() from a start, startswith() at an
# offset, counts within a window — the way a small parser walks a line.


def fields(line, sep):
    out = []
    at = 0
    while True:
        nxt = line.find(sep, at)
        if nxt < 0:
            out.append(line[at:])
            return out
        out.append(line[at:nxt])
        at = nxt + len(sep)


def keywords(src, words):
    found = []
    i = 0
    while i < len(src):
        for w in words:
            if src.startswith(w, i):
                found.append((i, w))
                i += len(w) - 1
                break
        i += 1
    return found


def last_before(text, ch, limit):
    return text.rfind(ch, 0, limit)


line = "alpha::beta::::gamma::délta::"
print(fields(line, "::"))
print(fields("no separators here", ","))
print(keywords("if x then y else if z then w", ["if", "then", "else"]))
text = "héllo wörld, hello world"
for limit in [0, 1, 5, 12, len(text), 100, -3]:
    print(limit, last_before(text, "o", limit), text.find("o", limit), text.count("l", limit))
print(text.index("world", 5), text.index("w", -6), text.find("", 30), text.rfind("", 2, 9))
print(text.startswith("wörld", 6), text.endswith("hello", 0, 18), text.endswith(("x", "ö"), 0, 8))
print(text.startswith(("h", "w"), 6), text.startswith("", len(text)), text.startswith("", len(text) + 1))
print(text.count("", 3, 7), text.count("", 40), "aaaa".count("aa", 1), text.find("l", None, None))
print(text.find("o", 10 ** 30), text.find("o", -(10 ** 30)), text.count("o", True), text.find("h", False, 3))
path = "usr/local/lib/python3.11/site-packages"
cut = path.rindex("/")
print(path[:cut], path[cut + 1:], path.rindex("/", 0, cut), path.rindex("l", 4, 12), path.rindex(""))
