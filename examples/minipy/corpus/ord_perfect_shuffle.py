def position_after_shuffle(pos, size):
    """Where card pos goes in a perfect out-shuffle of size cards."""
    half = size // 2
    if pos < half:
        return 2 * pos
    return 2 * (pos - half) + 1


def shuffles_to_restore(size):
    count = 0
    pos = 1
    while True:
        pos = position_after_shuffle(pos, size)
        count += 1
        if pos == 1:
            return count


for size in range(2, 54, 10):
    print(size, "cards:", shuffles_to_restore(size))
print(52, "cards:", shuffles_to_restore(52))
