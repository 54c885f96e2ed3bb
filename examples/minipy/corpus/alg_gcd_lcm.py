def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
def lcm(a, b):
    return a // gcd(a, b) * b
l = 1
for i in range(1, 25):
    l = lcm(l, i)
print(l, gcd(1071, 462), gcd(0, 5), gcd(-12, 18))
