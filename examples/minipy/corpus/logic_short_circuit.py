def loud(x):
    print("eval", x)
    return x

print(loud(0) and loud(1))
print(loud(2) and loud(3))
print(loud(0) or loud(4))
print(loud(5) or loud(6))
print(loud(1) < loud(2) < loud(0) < loud(9))
print(not loud(0), loud(None) or loud(False) or loud(7))
