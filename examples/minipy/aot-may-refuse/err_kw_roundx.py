round(x=1)
