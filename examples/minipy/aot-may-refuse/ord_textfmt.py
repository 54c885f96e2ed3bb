def wrap(text, width):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def justify(line, width):
    words = line.split()
    if len(words) == 1:
        return line.ljust(width)
    gaps = len(words) - 1
    spaces = width - sum(len(w) for w in words)
    q, r = divmod(spaces, gaps)
    out = ""
    for i, w in enumerate(words[:-1]):
        out += w + " " * (q + (1 if i < r else 0))
    return out + words[-1]


text = ("Python is a programming language that lets you work quickly and integrate "
        "systems more effectively. It is easy to learn and fun to use.")
for w in (20, 32):
    print("+" + "-" * w + "+")
    for line in wrap(text, w):
        print("|" + justify(line, w) + "|")
    print("+" + "-" * w + "+")
title = "the old man and the sea"
print(title.title(), "|", title.capitalize(), "|", title.upper().swapcase())
print(title.center(30, "*"))
print("42".zfill(6), "-42".zfill(6), "abc".rjust(6, "."))
head, sep, tail = "key=value=more".partition("=")
print(head, sep, tail)
print("key=value=more".rpartition("="))
print("a,b,,c".split(","), "a b  c".split(), "  x  ".strip() + "|")
print(" ".join(reversed(title.split())))
print(title.replace("the", "THE", 1), title.count("the"), title.find("man"), title.rfind("the"))
