def c_to_f_tenths(c):
    """Celsius to Fahrenheit in tenths of a degree, rounded toward minus infinity."""
    return (c * 90) // 5 + 320


for c in range(-40, 101, 20):
    t = c_to_f_tenths(c)
    print(c, "C =", t // 10, "point", t % 10, "F")
