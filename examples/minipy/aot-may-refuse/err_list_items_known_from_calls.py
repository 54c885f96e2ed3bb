# Lists filled by appending what a call returns, read after: their items are known once
# the call's type is (the analysis asks again when the types have settled).
def helper(i):
    return i * i - 3


def fill_plain(out, n):
    for i in range(n):
        out.append(helper(i))
    return out[-1] + out[0]


def never(out):
    out.append(1)
    out.pop()
    return out[0] if out else -1


t = 0
for r in range(50):
    t += fill_plain([], 20 + r) + never([])
print(t)
print(fill_plain([], 0))
