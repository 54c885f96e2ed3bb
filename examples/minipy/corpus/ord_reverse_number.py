def reverse(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n = n // 10
    return r


def is_palindrome(n):
    return n == reverse(n)


count = 0
for n in range(10, 1000):
    if is_palindrome(n):
        count += 1
print(reverse(12345), reverse(1200), count)
