class_free = "no classes here"

def rng(seed):
    state = [seed]

    def next_int(lo, hi):
        state[0] = (state[0] * 1103515245 + 12345) & 0x7FFFFFFF
        return lo + state[0] % (hi - lo + 1)

    return next_int


def simulate(tellers, minutes, seed):
    rand = rng(seed)
    queue = []
    busy = [0] * tellers
    served = waited = longest = 0
    for t in range(minutes):
        for _ in range(rand(0, 3)):
            queue.append(t)
        for k in range(tellers):
            if busy[k] > 0:
                busy[k] -= 1
            if busy[k] == 0 and queue:
                arrived = queue.pop(0)
                wait = t - arrived
                waited += wait
                longest = max(longest, wait)
                served += 1
                busy[k] = rand(2, 6)
    return served, len(queue), waited, longest


for tellers in range(2, 7):
    served, left, waited, longest = simulate(tellers, 480, 42)
    avg = waited * 100 // served if served else 0
    print(f"{tellers} tellers: served {served:4d}, still queued {left:4d}, "
          f"avg wait {avg // 100}.{avg % 100:02d} min, longest {longest}")
