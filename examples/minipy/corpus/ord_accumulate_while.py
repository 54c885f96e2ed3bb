balance = 1000
month = 0
while balance > 0:
    month += 1
    balance = balance - 85
    if month % 12 == 0:
        balance = balance + 50
print(month, balance)
