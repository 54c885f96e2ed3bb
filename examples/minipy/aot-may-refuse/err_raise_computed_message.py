# raise with a message computed at run time: the traceback runs through every frame, the
# carets under the raise statement, the message as str() of the exception makes it.
def check_balance(name, balance, amount):
    if amount > balance:
        raise ValueError(f"{name}: cannot withdraw {amount}, balance is {balance}")
    return balance - amount


def run(ops):
    balance = 100
    for name, amount in ops:
        balance = check_balance(name, balance, amount)
        print(name, "->", balance)
    return balance


run([("rent", 40), ("food", 25), ("car", 50)])
