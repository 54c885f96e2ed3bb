bits = 3
print(1 << bits, 256 >> bits)
print(5 >> -bits)
