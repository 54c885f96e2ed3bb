# Primes by trial division, the textbook way: for ... else runs when no divisor broke out.
largest = 0


def primes_below(limit):
    global largest
    found = 0
    for n in range(2, limit):
        for d in range(2, n):
            if d * d > n:
                found += 1
                largest = n
                break
            if n % d == 0:
                break
        else:
            # only 2 and 3 get here: the inner range is too short to reach the square root
            found += 1
            largest = n
    return found


count = primes_below(200)
print("primes below 200:", count, "largest:", largest)

# while ... else: the else block runs when the test fails, not after a break.
n = 27
steps = 0
while n != 1:
    if steps > 200:
        print("gave up")
        break
    if n % 2 == 0:
        n = n // 2
    else:
        n = 3 * n + 1
    steps += 1
else:
    print("reached 1 after", steps, "steps")

for i in range(3):
    pass
else:
    print("loop finished with i =", i)

k = 0
while k < 10:
    k += 1
    if k == 4:
        break
else:
    print("not printed")
print("stopped at", k)
