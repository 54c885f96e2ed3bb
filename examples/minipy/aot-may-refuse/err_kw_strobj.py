str(obj=3)
