# Bit counting and LIFO dict pops.
def popcount_table(n):
    return [i.bit_count() for i in range(n)]


print(popcount_table(16))
for v in [0, 1, 255, 256, -256, 2 ** 64, -(2 ** 100) + 1, True, False]:
    print(v, v.bit_length(), v.bit_count())


def highest_power_of_two_at_most(n):
    return 1 << (n.bit_length() - 1)


print([highest_power_of_two_at_most(n) for n in [1, 5, 64, 1000]])

tasks = {"write": 3, "test": 2, "ship": 1}
while tasks:
    name, priority = tasks.popitem()
    print(name, priority, len(tasks))
print(tasks)
