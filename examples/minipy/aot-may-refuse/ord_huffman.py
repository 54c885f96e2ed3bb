def huffman_codes(text):
    freq = {}
    for ch in text:
        freq[ch] = freq.get(ch, 0) + 1
    # Each node: (weight, order, symbol-or-children)
    nodes = [(w, i, ch) for i, (ch, w) in enumerate(sorted(freq.items()))]
    order = len(nodes)
    while len(nodes) > 1:
        nodes.sort()
        a, b = nodes[0], nodes[1]
        nodes = nodes[2:] + [(a[0] + b[0], order, (a, b))]
        order += 1
    codes = {}

    def walk(node, prefix):
        payload = node[2]
        if isinstance(payload, str):
            codes[payload] = prefix or "0"
        else:
            walk(payload[0], prefix + "0")
            walk(payload[1], prefix + "1")

    walk(nodes[0], "")
    return codes


def encode(text, codes):
    return "".join(codes[c] for c in text)


def decode(bits, codes):
    back = {v: k for k, v in codes.items()}
    out, cur = [], ""
    for b in bits:
        cur += b
        if cur in back:
            out.append(back[cur])
            cur = ""
    return "".join(out)


text = "this is an example of a huffman tree, built from list tuples"
codes = huffman_codes(text)
for ch in sorted(codes, key=lambda c: (len(codes[c]), c)):
    print(repr(ch), codes[ch])
bits = encode(text, codes)
print(len(bits), "bits vs", 8 * len(text))
assert decode(bits, codes) == text
print(decode(bits, codes)[:20])
print(huffman_codes("aaaa"), huffman_codes("ab"))
