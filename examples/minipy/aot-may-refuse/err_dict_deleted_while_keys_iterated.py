stock = {"apples": 0, "pears": 4, "plums": 0, "figs": 2}
for name in stock.keys():
    if stock[name] == 0:
        print("sold out:", name)
        del stock[name]
print(stock)
