def digit_sum(n):
    return sum(int(d) for d in str(n))


def factorial(n):
    out = 1
    for k in range(2, n + 1):
        out *= k
    return out


def amicable_below(limit):
    div_sum = [0] * limit
    for i in range(1, limit // 2 + 1):
        for j in range(2 * i, limit, i):
            div_sum[j] += i
    return sorted(a for a in range(2, limit) if div_sum[a] < limit and div_sum[a] != a
                  and div_sum[div_sum[a]] == a)


def triples(perimeter):
    found = []
    for a in range(1, perimeter // 3):
        for b in range(a + 1, (perimeter - a) // 2 + 1):
            c = perimeter - a - b
            if a * a + b * b == c * c:
                found.append((a, b, c))
    return found


def first_fib_with_digits(d):
    a, b, i = 1, 1, 2
    while len(str(b)) < d:
        a, b = b, a + b
        i += 1
    return i


print(digit_sum(2 ** 1000), digit_sum(factorial(100)))
print(amicable_below(10000), sum(amicable_below(10000)))
print(triples(1000), [t for p in (12, 30, 60) for t in triples(p)])
print(first_fib_with_digits(100), first_fib_with_digits(300))
print(len(str(factorial(500))), str(3 ** 200)[:30], pow(2, 10 ** 6, 10 ** 9 + 7))
print(max(range(1, 30), key=lambda n: len(str(factorial(n))) % 7))
