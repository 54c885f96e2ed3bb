# Celsius to Fahrenheit with integer arithmetic, rounded half up.
def to_fahrenheit(c):
    return (c * 18 + 325) // 10


for c in range(-40, 101, 20):
    print(c, to_fahrenheit(c))
