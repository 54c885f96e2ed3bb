def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


lcm = 1
for i in range(1, 21):
    lcm = lcm * i // gcd(lcm, i)
print(lcm)
