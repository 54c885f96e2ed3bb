credit = 0
sold = 0


def insert(coin):
    global credit
    if coin != 5 and coin != 10 and coin != 25:
        print("rejected coin", coin)
        return
    credit += coin


def buy(price):
    global credit, sold
    if credit < price:
        print("need", price - credit, "more")
        return False
    credit -= price
    sold += 1
    print("sold one, change", credit)
    credit = 0
    return True


insert(25)
insert(3)
buy(35)
insert(10)
buy(35)
insert(25)
insert(25)
buy(35)
print("sold", sold, "credit", credit)
