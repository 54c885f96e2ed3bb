round(5, number=3)
