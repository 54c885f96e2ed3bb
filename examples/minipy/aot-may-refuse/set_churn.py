# Sets under heavy churn: adds, discards, pops and the operators on keys that collide in
# the table (multiples of 8 and 32, negatives, values past 2**61), printed as they go, so
# the table's layout (its iteration order) is checked against CPython's at every step.
def lcg(x):
    return (x * 1103515245 + 12345) % 2147483648


def key(r, spread):
    k = r % spread
    kind = r % 7
    if kind == 0:
        return k * 8
    if kind == 1:
        return -k
    if kind == 2:
        return k * 32 + 1
    if kind == 3:
        return (k << 61) + k
    if kind == 4:
        return (k, k % 3)
    if kind == 5:
        return "s" + str(k)
    return k


def churn(seed, rounds, spread):
    s = set()
    t = {1, 2, 3}
    r = seed
    for i in range(rounds):
        r = lcg(r)
        op = r % 13
        k = key(r // 13, spread)
        if op < 4:
            s.add(k)
        elif op < 6:
            s.discard(k)
        elif op == 6 and s:
            s.pop()
        elif op == 7:
            t = {key(r // 17 + j, spread) for j in range(r % 6)}
        elif op == 8:
            s |= t
        elif op == 9:
            s -= t
        elif op == 10:
            s ^= t
        elif op == 11:
            s = s | t if r % 2 else s & (t | {k})
        else:
            s.update([k, key(r // 31, spread)])
        if i % 25 == 0:
            print(i, len(s), s)
    return s


for seed in range(6):
    final = churn(seed * 7919 + 1, 400, 20 + seed * 13)
    print(sorted(final, key=str))
    print(len(final), final == set(list(final)), final - final, final & final)
