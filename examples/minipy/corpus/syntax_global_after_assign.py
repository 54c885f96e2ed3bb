balance = 0


def deposit(amount):
    global balance
    if amount <= 0:
        return False
    balance += amount
    global balance
    return True


print(deposit(100))
