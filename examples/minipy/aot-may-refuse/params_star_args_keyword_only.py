# *args, keyword-only parameters and **kwargs, as ordinary code uses them.
def log(level, *parts, sep=" ", end="."):
    return level.upper() + ": " + sep.join(str(p) for p in parts) + end


def tag(name, **attrs):
    inner = "".join(" " + k + '="' + str(v) + '"' for k, v in sorted(attrs.items()))
    return "<" + name + inner + ">"


def clamp(x, *, low=0, high=100):
    return max(low, min(high, x))


def mean(first, *rest):
    values = (first,) + rest
    return sum(values) // len(values)


def make_counter(*, start=0, step=1):
    count = start

    def tick(times=1, *, reset=False):
        nonlocal count
        if reset:
            count = start
        count += step * times
        return count

    return tick


def describe(*args, **kwargs):
    return len(args), sorted(kwargs), args[-1:] if args else ()


print(log("info", "disk", 93, "percent"))
print(log("warn", "a", "b", sep="-", end="!"))
print(tag("img", src="a.png", width=40), tag("br"))
print(clamp(150), clamp(-5), clamp(50, high=40), clamp(7, low=8, high=9))
print(mean(4), mean(1, 2, 3, 10))
tick = make_counter(start=10, step=5)
print(tick(), tick(2), tick(reset=True), tick())
print(describe(), describe(1, 2, x=3, a=4))
nums = [3, 1, 2]
print(mean(*nums), log("x", *nums))
pair = lambda *xs, **kw: (xs, sorted(kw.items()))
print(pair(1, k=2), pair())
for i in range(3):
    print(clamp(i * 60, high=100 + i))
