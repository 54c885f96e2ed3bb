def luhn_valid(number):
    total = 0
    double = False
    while number > 0:
        d = number % 10
        number //= 10
        if double:
            d *= 2
            if d > 9:
                d -= 9
        total += d
        double = not double
    return total % 10 == 0


def check(card):
    print(card, "valid" if luhn_valid(card) else "invalid")


check(79927398713)
check(79927398710)
check(4539578763621486)
check(1234567812345678)
check(0)
