seed = 42


def rand(n):
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % 2**64
    return (seed >> 33) % n


queue = []
served = []
waits = {}
clock = 0
for tick in range(200):
    if rand(10) < 4:
        queue.append((tick, f"c{tick}"))
    if queue and rand(10) < 5:
        arrived, name = queue.pop(0)
        served.append(name)
        waits[name] = tick - arrived
    clock = tick
longest = max(waits.items(), key=lambda kv: (kv[1], kv[0]))
print(len(served), len(queue), longest, sum(waits.values()) // max(1, len(waits)))
hist = {}
for w in waits.values():
    bucket = min(w // 5, 5)
    hist[bucket] = hist.get(bucket, 0) + 1
for b in sorted(hist):
    label = f"{b * 5}-{b * 5 + 4}" if b < 5 else "25+"
    print(f"{label:>6} {'#' * hist[b]}")
