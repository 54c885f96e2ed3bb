def dump(value, indent=0):
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = ["{"]
        items = list(value.items())
        for i, (k, v) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.append(f'{pad}  "{k}": {dump(v, indent + 1)}{comma}')
        lines.append(pad + "}")
        return "\n".join(lines)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = [dump(v, indent + 1) for v in value]
        if all("\n" not in s for s in inner) and sum(len(s) for s in inner) < 40:
            return "[" + ", ".join(inner) + "]"
        return "[\n" + ",\n".join(pad + "  " + s for s in inner) + "\n" + pad + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


doc = {
    "name": "freestand",
    "version": (0, 1, 0),
    "tags": ["tiny", "static", "no libc"],
    "deps": {"object": "0.36", "iced-x86": None},
    "ok": True,
    "sizes": [395, 920, 1430432, 2 ** 70],
    "nested": {"a": {"b": {"c": []}}, "quote": 'say "hi"'},
    "empty": {},
}
print(dump(doc))


def tokenize(text):
    tokens, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "{}[],:":
            tokens.append(ch)
            i += 1
        elif ch == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            tokens.append(text[i:j + 1])
            i = j + 1
        else:
            j = i
            while j < len(text) and text[j] not in "{}[],: \n":
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens


toks = tokenize(dump(doc))
print(len(toks), toks[:12], sorted(set(t for t in toks if t.isdigit()), key=int))
