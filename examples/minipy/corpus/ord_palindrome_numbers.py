def reverse(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r


count = 0
biggest = None
for n in range(10, 1000):
    if n == reverse(n):
        count += 1
        biggest = n
print("palindromes from 10 to 999:", count, "largest", biggest)
steps = 0
n = 89
while n != reverse(n) and steps < 30:
    n = n + reverse(n)
    steps += 1
print("89 reaches palindrome", n, "after", steps, "steps")
