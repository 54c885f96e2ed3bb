def tokenize(src):
    tokens = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j = i
            while j < len(src) and src[j].isdigit():
                j += 1
            tokens.append(("num", int(src[i:j])))
            i = j
        elif ch in "+-*/%()^":
            tokens.append(("op", ch))
            i += 1
        else:
            raise ValueError(f"unexpected {ch!r} at {i}")
    tokens.append(("end", None))
    return tokens


def parse(tokens):
    pos = 0

    def peek():
        return tokens[pos]

    def take():
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        return tok

    def expr():
        value = term()
        while peek() in (("op", "+"), ("op", "-")):
            op = take()[1]
            rhs = term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def term():
        value = power()
        while peek()[0] == "op" and peek()[1] in "*/%":
            op = take()[1]
            rhs = power()
            if op == "*":
                value *= rhs
            elif op == "/":
                value //= rhs
            else:
                value %= rhs
        return value

    def power():
        base = unary()
        if peek() == ("op", "^"):
            take()
            return base ** power()
        return base

    def unary():
        if peek() == ("op", "-"):
            take()
            return -unary()
        return atom()

    def atom():
        kind, val = take()
        if kind == "num":
            return val
        if (kind, val) == ("op", "("):
            v = expr()
            if take() != ("op", ")"):
                raise ValueError("expected )")
            return v
        raise ValueError(f"unexpected token {val!r}")

    result = expr()
    if peek()[0] != "end":
        raise ValueError("trailing input")
    return result


for src in ["1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-7 / 2", "7 % -3", "2 ^ 100",
            "((((5))))", "10 - 4 - 3", "-(3 - 10) * -2"]:
    print(f"{src:>16} = {parse(tokenize(src))}")
print(parse(tokenize("1 / 0")))
