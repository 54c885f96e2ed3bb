balance = 0


def deposit(amount):
    global balance
    if amount <= 0:
        return False
    balance += amount
    return True


def withdraw(amount):
    global balance
    if amount > balance:
        return False
    balance -= amount
    return True


print(deposit(100), deposit(-5), withdraw(30), withdraw(500))
print("balance", balance)
