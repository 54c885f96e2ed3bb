# Caesar cipher and letter frequencies
def shift(text, k):
    out = []
    for ch in text:
        if ch.isalpha():
            base = ord("A") if ch.isupper() else ord("a")
            out.append(chr((ord(ch) - base + k) % 26 + base))
        else:
            out.append(ch)
    return "".join(out)


msg = "Attack at Dawn, said the General!"
secret = shift(msg, 13)
print(secret)
print(shift(secret, -13) == msg)
counts = {}
for ch in msg.lower():
    if ch.isalpha():
        counts[ch] = counts.get(ch, 0) + 1
common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
print(common)
print(" ".join(f"{c}:{'#' * n}" for c, n in common))
