print(round(5), round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(7, 2), round(2**70, -20), round(True))
print(round(15, -1), round(25, -1), round(5, None))
print(round("x"))
