print(5 in 3)
