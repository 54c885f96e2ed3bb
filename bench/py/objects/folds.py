# Generator expressions that sum, any, all, min and max fold: one-liners in functions, some
# called once over long ranges, some called often, the way puzzle solutions are written.

def multiples(n):
    return sum(x for x in range(n) if x % 3 == 0 or x % 5 == 0)


def int_sqrt(n):
    r = 0
    while (r + 1) * (r + 1) <= n:
        r += 1
    return r


def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int_sqrt(n) + 1))


def count_primes(n):
    return sum(1 for k in range(n) if is_prime(k))


def digit_sum(n):
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s


def best_digits(n):
    return max(digit_sum(x) * 1000 + x % 1000 for x in range(n))


def dot(xs, ys):
    return sum(xs[i] * ys[i] for i in range(len(xs)))


def has_pair(xs, target):
    n = len(xs)
    return any(xs[i] + xs[j] == target for i in range(n) for j in range(i + 1, n))


print(multiples(3000000))
print(count_primes(30000))
print(best_digits(300000))
xs = [(i * 37) % 101 for i in range(300)]
print(sum(dot(xs, xs) for _ in range(300)))
print(has_pair(xs, 500), has_pair(xs, 3), min(x - 50 for x in xs))
