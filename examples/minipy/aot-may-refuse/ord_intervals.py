def merge(intervals):
    out = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(x) for x in out]


def insert(intervals, new):
    return merge(intervals + [new])


def total_length(intervals):
    return sum(hi - lo for lo, hi in merge(intervals))


def free_slots(busy, day_start, day_end):
    slots, cursor = [], day_start
    for lo, hi in merge(busy):
        if lo > cursor:
            slots.append((cursor, lo))
        cursor = max(cursor, hi)
    if cursor < day_end:
        slots.append((cursor, day_end))
    return slots


def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return seen[target - x], i
        seen[x] = i
    return None


data = [(1, 3), (2, 6), (8, 10), (15, 18), (17, 20), (9, 9)]
print(merge(data))
print(insert(data, (4, 8)), total_length(data))
print(free_slots([(9, 10), (12, 13), (9, 11), (15, 17)], 8, 18))
print(two_sum([2, 7, 11, 15], 9), two_sum([3, 2, 4], 6), two_sum([1, 2], 7))
groups = {}
for w in ["listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog"]:
    groups.setdefault("".join(sorted(w)), []).append(w)
print(sorted(sorted(g) for g in groups.values() if len(g) > 1))
