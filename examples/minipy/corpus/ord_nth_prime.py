def nth_prime(n):
    count = 0
    candidate = 1
    while count < n:
        candidate += 1
        d = 2
        prime = True
        while d * d <= candidate:
            if candidate % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return candidate


for n in range(1, 101, 11):
    print(n, nth_prime(n))
