events = [
    ("2024-03-15", "09:30", "standup", 15),
    ("2024-03-15", "10:00", "design review", 60),
    ("2024-03-14", "14:00", "1:1", 30),
    ("2024-03-15", "10:45", "lunch", 45),
    ("2024-03-16", "08:00", "gym", 90),
    ("2024-03-14", "13:45", "prep", 30),
]


def minutes(hhmm):
    h, m = map(int, hhmm.split(":"))
    return h * 60 + m


def clock(mins):
    return "%02d:%02d" % divmod(mins, 60)


by_day = {}
for day, start, title, length in sorted(events):
    by_day.setdefault(day, []).append((minutes(start), minutes(start) + length, title))

for day, items in by_day.items():
    print(day)
    for (s1, e1, t1), (s2, e2, t2) in zip(items, items[1:]):
        if s2 < e1:
            print(f"  clash: {t1!r} ends {clock(e1)}, {t2!r} starts {clock(s2)}")
    busy = sum(e - s for s, e, _ in items)
    first, last = min(s for s, _, _ in items), max(e for _, e, _ in items)
    print(f"  {len(items)} events, busy {busy} min, {clock(first)}-{clock(last)}")
    free = []
    cursor = minutes("08:00")
    for s, e, _ in items:
        if s > cursor:
            free.append((clock(cursor), clock(s)))
        cursor = max(cursor, e)
    print("  free:", free)
longest = max(events, key=lambda ev: ev[3])
print("longest:", longest[2], longest[3])
print(sorted({d for d, *_ in events}, reverse=True))
