PAIRS = {")": "(", "]": "[", "}": "{"}


def check(s):
    stack = []
    for i, ch in enumerate(s):
        if ch in "([{":
            stack.append((ch, i))
        elif ch in PAIRS:
            if not stack:
                return f"unexpected {ch!r} at {i}"
            top, pos = stack.pop()
            if top != PAIRS[ch]:
                return f"mismatch {top!r} at {pos} and {ch!r} at {i}"
    if stack:
        return f"unclosed {stack[-1][0]!r} at {stack[-1][1]}"
    return "ok"


tests = ["()", "([]{})", "(]", "((())", "{[()()]}", "}", "a(b)c[d{e}f]g", ""]
for t in tests:
    print(f"{t!r:20} {check(t)}")
