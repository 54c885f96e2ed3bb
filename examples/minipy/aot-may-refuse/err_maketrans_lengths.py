table = str.maketrans("abc", "xy")
