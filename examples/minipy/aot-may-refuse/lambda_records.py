# Sorting and grouping records with key functions, the way a script over a small table
# does it.
people = [
    ("ada", 36, "london"),
    ("grace", 45, "new york"),
    ("alan", 41, "london"),
    ("edsger", 72, "austin"),
    ("barbara", 28, "austin"),
    ("ken", 45, "new york"),
]

by_age = sorted(people, key=lambda p: p[1])
print([p[0] for p in by_age])
by_city_then_age = sorted(people, key=lambda p: (p[2], -p[1]))
for name, age, city in by_city_then_age:
    print(f"{city:>9} {name:<8}{age:3d}")

groups = {}
for name, age, city in people:
    groups.setdefault(city, []).append(name)
for city in sorted(groups, key=lambda c: (-len(groups[c]), c)):
    print(city, sorted(groups[city], key=len))

oldest = max(people, key=lambda p: p[1])
youngest = min(people, key=lambda p: p[1])
print(oldest[0], youngest[0])


def older_than(limit):
    return lambda p: p[1] > limit


over_40 = older_than(40)
print([p[0] for p in people if over_40(p)])
ranked = sorted(people, key=lambda p: p[0], reverse=True)
print(", ".join(p[0].title() for p in ranked))
