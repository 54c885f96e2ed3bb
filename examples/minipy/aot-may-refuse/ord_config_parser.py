CONFIG = """
# comment line
[server]
host = example.org
port = 8080
debug = yes

[database]
user = admin
password = "s3cr=t"
pool = 5   ; inline comment
timeout=30

[empty]

[server]
port = 9090
"""

def parse(text):
    sections = {}
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(";")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), {})
        elif "=" in line:
            if current is None:
                raise ValueError(f"line {number}: key outside a section")
            key, _, value = line.partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            current[key.strip()] = value
        else:
            raise ValueError(f"line {number}: cannot parse {raw!r}")
    return sections


def typed(value):
    if value.isdigit():
        return int(value)
    if value.lower() in ("yes", "true", "on"):
        return True
    if value.lower() in ("no", "false", "off"):
        return False
    return value


conf = parse(CONFIG)
for name, values in conf.items():
    print(f"[{name}]")
    for k, v in sorted(values.items()):
        print(f"  {k:<10} = {typed(v)!r}")
print(conf["server"]["port"], typed(conf["database"]["pool"]) * 2)
print(parse("a = 1"))
