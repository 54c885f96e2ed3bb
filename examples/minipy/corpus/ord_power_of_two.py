def is_power_of_two(n):
    return n > 0 and n & (n - 1) == 0


def next_power_of_two(n):
    p = 1
    while p < n:
        p = p * 2
    return p


def show(n):
    print(n, is_power_of_two(n), next_power_of_two(n))


show(0)
show(1)
show(2)
show(3)
show(16)
show(17)
show(1000)
show(1024)
