# Run-length encoding and decoding
def encode(s):
    if not s:
        return []
    out = []
    prev, count = s[0], 1
    for ch in s[1:]:
        if ch == prev:
            count += 1
        else:
            out.append((prev, count))
            prev, count = ch, 1
    out.append((prev, count))
    return out


def decode(pairs):
    return "".join(ch * n for ch, n in pairs)


for text in ["aaabccddddd", "", "abc", "zzzzzzzzzzzz"]:
    enc = encode(text)
    compact = "".join(f"{n}{ch}" for ch, n in enc)
    assert decode(enc) == text
    print(repr(text), enc, compact)
