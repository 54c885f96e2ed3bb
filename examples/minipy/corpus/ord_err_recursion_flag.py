def count_down(n, seen):
    done = n <= 0
    if done:
        return seen
    return count_down(n - 1, seen + 1)


print(count_down(10, 0))
print(count_down(5000, 0))
