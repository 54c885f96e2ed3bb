def step(n):
    s = 0
    while n:
        d = n % 10
        s += d * d
        n //= 10
    return s
def happy(n):
    slow = n
    fast = step(n)
    while fast != 1 and slow != fast:
        slow = step(slow)
        fast = step(step(fast))
    return fast == 1
c = 0
for n in range(1, 500):
    if happy(n):
        c += 1
print(c)
