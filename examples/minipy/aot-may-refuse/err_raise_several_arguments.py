# An exception raised with several arguments prints their tuple.
def parse_pair(text):
    parts = text.split("=")
    if len(parts) != 2:
        raise ValueError("not a pair", text, len(parts))
    return parts[0], int(parts[1])


print(parse_pair("x=3"))
print(parse_pair("x=3=4"))
