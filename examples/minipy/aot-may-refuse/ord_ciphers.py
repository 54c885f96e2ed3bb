def caesar(text, shift):
    out = []
    for ch in text:
        if ch.isalpha():
            base = ord("A") if ch.isupper() else ord("a")
            out.append(chr((ord(ch) - base + shift) % 26 + base))
        else:
            out.append(ch)
    return "".join(out)


def vigenere(text, key, decrypt=False):
    out, k = "", 0
    for ch in text:
        if ch.isalpha():
            shift = ord(key[k % len(key)].lower()) - ord("a")
            out += caesar(ch, -shift if decrypt else shift)
            k += 1
        else:
            out += ch
    return out


msg = "Attack at Dawn! Meet me by the old oak tree, 3 sharp."
enc = caesar(msg, 13)
print(enc)
print(caesar(enc, 13) == msg)
v = vigenere(msg, "Lemon")
print(v)
print(vigenere(v, "Lemon", decrypt=True))
freq = {}
for ch in msg.lower():
    if ch.isalpha():
        freq[ch] = freq.get(ch, 0) + 1
top = sorted(freq.items(), key=lambda p: (-p[1], p[0]))[:5]
print(top)
table = str.maketrans("abc", "xyz")
print("aabbcc".translate(table))
