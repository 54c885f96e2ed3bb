evens = 0
odds = 0
multiples_of_three = 0
for i in range(1, 101):
    if i % 2 == 0:
        evens = evens + 1
    else:
        odds = odds + 1
    if i % 3 == 0:
        multiples_of_three += 1
print(evens, odds, multiples_of_three)
print(evens == odds, evens > multiples_of_three)
