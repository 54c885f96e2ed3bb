# Simple bank account simulation with closures and error checks
def account(balance=0):
    history = []

    def deposit(amount):
        nonlocal balance
        if amount <= 0:
            return "invalid"
        balance += amount
        history.append(("dep", amount))
        return balance

    def withdraw(amount):
        nonlocal balance
        if amount > balance:
            return "insufficient"
        balance -= amount
        history.append(("wd", amount))
        return balance

    def report():
        return balance, list(history)

    return deposit, withdraw, report


dep, wd, rep = account(100)
print(dep(50), wd(30), wd(500), dep(-5))
print(rep())
total_in = sum(a for kind, a in rep()[1] if kind == "dep")
print("deposited", total_in)
