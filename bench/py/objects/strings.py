# Building a long string from pieces, then splitting and joining it again.
parts = []
for i in range(200000):
    parts.append(str(i * 7 % 1000))
text = ",".join(parts)
fields = text.split(",")
total = 0
for f in fields:
    total += len(f)
upper = "-".join(f for f in fields if f.startswith("1"))
print(len(text), len(fields), total, len(upper), text[:20], text[::-1][:10])
