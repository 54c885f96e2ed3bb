def compute_total(n):
    return n * 2


print(compute_totl(4))
