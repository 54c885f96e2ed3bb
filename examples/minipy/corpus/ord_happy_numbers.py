def next_step(n):
    total = 0
    while n:
        d = n % 10
        total += d * d
        n //= 10
    return total


def is_happy(n):
    slow = n
    fast = next_step(n)
    while fast != 1 and slow != fast:
        slow = next_step(slow)
        fast = next_step(next_step(fast))
    return fast == 1


count = 0
for n in range(1, 101):
    if is_happy(n):
        count += 1
        if count <= 12:
            print("happy:", n)
print("happy numbers up to 100:", count)
