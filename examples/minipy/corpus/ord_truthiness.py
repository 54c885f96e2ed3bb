values = 0
if 0:
    values += 1
if "":
    values += 10
if None:
    values += 100
if "x":
    values += 1000
if -1:
    values += 10000
print(values)
print(not 0, not "", not None, not "x", not not 3)
