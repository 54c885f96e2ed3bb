def smallest_factor(n):
    d = 2
    while d * d <= n:
        if n % d == 0:
            return d
        d += 1
    return n


def show_factors(n):
    count = 0
    while n > 1:
        f = smallest_factor(n)
        print(f)
        n //= f
        count += 1
    return count


print(show_factors(360))
print(show_factors(97))
