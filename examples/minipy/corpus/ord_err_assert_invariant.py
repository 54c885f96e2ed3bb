# An invariant checked with assert: the balance never goes negative.
def withdraw(balance, amount):
    assert amount > 0, "amount must be positive"
    balance -= amount
    assert balance >= 0
    return balance


b = 100
b = withdraw(b, 30)
print("balance", b)
b = withdraw(b, 50)
print("balance", b)
b = withdraw(b, 40)
print("never printed", b)
