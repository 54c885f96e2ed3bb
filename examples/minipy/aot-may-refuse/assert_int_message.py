# An assert whose message is an int computed at run time (ahead of time, messages must be
# known when the program is compiled).
def scaled(x):
    y = x * 3
    assert y < 20, y
    return y


print(scaled(4))
print(scaled(9))
