print(int("12a"))
